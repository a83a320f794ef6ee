from decimal import Decimal

import pytest

from scoring.classification import classify, format_points


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("0", "Yếu"),
        ("49.5", "Yếu"),
        ("50", "Trung bình"),
        ("69.5", "Trung bình"),
        ("70", "Khá"),
        ("89.5", "Khá"),
        ("90", "Xuất sắc"),
        ("100", "Xuất sắc"),
    ],
)
def test_a_total_falls_in_the_circulars_band(total, expected):
    assert classify(Decimal(total)).label == expected


def test_only_excellent_and_good_carry_an_award_hint():
    assert [(t, classify(Decimal(t)).award.split(" của ")[0]) for t in ("95", "75", "55", "10")] == [
        ("95", "Có thể đề nghị Bằng khen"),
        ("75", "Có thể đề nghị Giấy khen"),
        ("55", ""),
        ("10", ""),
    ]


def test_no_score_has_no_class():
    assert classify(None) is None


def test_points_print_with_a_decimal_comma():
    assert [format_points(Decimal(v)) for v in ("99.5", "100.0", "7")] == ["99,5", "100", "7"]
