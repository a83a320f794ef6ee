from django.urls import reverse


def test_login_page_speaks_vietnamese(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page
    assert "Mật khẩu" in page


def test_wrong_password_is_told_in_vietnamese(client, clerk):
    response = client.post(reverse("login"), {"username": clerk.username, "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_right_password_lands_on_home(client, clerk):
    response = client.post(reverse("login"), {"username": clerk.username, "password": "ansinh-test"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Xã Kon Gang" in response.content.decode()


def test_failed_logins_are_rate_limited(client, clerk, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": clerk.username, "password": "sai"})
    response = client.post(reverse("login"), {"username": clerk.username, "password": "ansinh-test"})
    assert "Đăng nhập sai quá 3 lần. Vui lòng thử lại sau 15 phút." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_post_and_returns_to_login(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
