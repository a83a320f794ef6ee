"""The 100-point classification of Quyết định 510/QĐ-BCA-V05: the circular's fixed bands and award hints.

The only place the thresholds live; `classify` is the only function that turns a score into a class, for
pages, the PDF and Excel alike."""

from dataclasses import dataclass
from decimal import Decimal

MAX_TOTAL = Decimal("100")
SCORE_STEP = Decimal("0.5")

EXCELLENT_FROM = Decimal("90")
GOOD_FROM = Decimal("70")
AVERAGE_FROM = Decimal("50")


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    lower: Decimal
    award: str
    colour: str

    @property
    def has_award(self):
        return bool(self.award)


EXCELLENT = Band(
    "excellent",
    "Xuất sắc",
    EXCELLENT_FROM,
    "Có thể đề nghị Bằng khen của Bộ trưởng Bộ Công an hoặc Chủ tịch UBND tỉnh",
    "success",
)
GOOD = Band(
    "good",
    "Khá",
    GOOD_FROM,
    "Có thể đề nghị Giấy khen của Giám đốc Công an tỉnh hoặc Chủ tịch UBND cấp quản lý",
    "primary",
)
AVERAGE = Band("average", "Trung bình", AVERAGE_FROM, "", "warning")
WEAK = Band("weak", "Yếu", Decimal("0"), "", "danger")

# Highest first: a score belongs to the first band whose lower bound it reaches.
BANDS = (EXCELLENT, GOOD, AVERAGE, WEAK)
BY_CODE = {band.code: band for band in BANDS}
# Units classified Khá or better may be proposed as models (điển hình).
MODEL_UNIT_FROM = GOOD_FROM


def classify(total) -> Band | None:
    """The band of a total score; None when there is no score."""
    if total is None:
        return None
    total = Decimal(total)
    return next(band for band in BANDS if total >= band.lower)


def format_points(value) -> str:
    """'99,5', '100', '7' — Vietnamese decimal comma, no trailing ',0'."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.1"))
    text = f"{value:f}"
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")
