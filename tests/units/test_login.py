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


def test_logout_is_post_and_returns_to_login(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
