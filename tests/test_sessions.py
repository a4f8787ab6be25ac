"""Login sessions that end, tokens that can be revoked, throttling that holds under a rush and cannot lock
the owner out, redirects that stay on the site, and CSRF for cookie-authenticated requests."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from docmgr.auth.models import ApiToken, User
from tests.conftest import PASSWORD


def _login(client, username="clerk", password=PASSWORD, address="127.0.0.1", **form):
    return client.post("/login", data={"username": username, "password": password, **form},
                       environ_base={"REMOTE_ADDR": address})


def _copy_cookies(source, target):
    for name in ("session", "remember_token"):
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


# -- finding 7: open redirect ----------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["/\t/evil.example", "/%09/evil.example", "/\n/evil.example",
                                    "//evil.example", "/\\evil.example", "\\\\evil.example",
                                    "https://evil.example/", "javascript:alert(1)", "/\r\n/x"])
def test_login_never_redirects_off_the_site(app, client, target):
    response = client.post("/login", data={"username": "clerk", "password": PASSWORD},
                           query_string={"next": target})
    assert response.status_code == 302
    assert response.location in ("/", "/documents"), response.location


def test_login_keeps_a_same_site_next(app, client):
    response = client.post("/login?next=/documents%3Fdirection%3Dincoming",
                           data={"username": "clerk", "password": PASSWORD})
    assert response.location == "/documents?direction=incoming"


# -- finding 8: throttling ---------------------------------------------------------------------------------

def test_simultaneous_wrong_passwords_get_no_more_tries_than_the_limit(app):
    tries = []

    def guess():
        client = app.test_client()
        tries.append(client.post("/login", data={"username": "admin", "password": "sai"}).status_code)

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tries.count(401) <= app.config["DOCMGR_LOGIN_MAX_FAILURES"], tries
    assert tries.count(429) >= 40 - app.config["DOCMGR_LOGIN_MAX_FAILURES"]


def test_a_guesser_cannot_lock_the_owner_out_and_a_manager_can_unlock(app, client):
    attacker = app.test_client()
    for _ in range(6):
        _login(attacker, "admin", "sai", address="10.0.0.66")
    assert _login(attacker, "admin", PASSWORD, address="10.0.0.66").status_code == 429  # the guesser is locked
    assert _login(client, "admin", PASSWORD, address="10.0.0.5").status_code == 302  # the owner is not
    assert "Sai" in client.get("/users").text  # the users page shows the failures
    with app.extensions["docmgr"].sessionmaker() as db:
        admin_id = db.scalar(select(User.id).where(User.username == "admin"))
    assert "Đã gỡ khóa" in client.post(f"/users/{admin_id}/unlock", follow_redirects=True).text
    assert _login(attacker, "admin", PASSWORD, address="10.0.0.66").status_code == 302


def test_unknown_and_known_accounts_answer_in_the_same_time(app):
    client = app.test_client()

    def timed(name):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            client.post("/login", data={"username": name, "password": "sai-mat-khau"})
            best = min(best, time.perf_counter() - start)
        return best

    app.config["DOCMGR_LOGIN_MAX_FAILURES"] = 100
    known, unknown = timed("clerk"), timed("khong-co-ai")
    # Both check one password hash (tens of ms); before, an unknown name answered ~15x faster.
    assert unknown > known / 3, (known, unknown)


# -- finding 9: sessions that end --------------------------------------------------------------------------

def test_a_copied_session_cookie_stops_working_at_logout(app, client):
    _login(client)
    thief = app.test_client()
    _copy_cookies(client, thief)
    assert thief.get("/documents").status_code == 200
    client.post("/logout")
    assert thief.get("/documents").status_code == 302  # back to the login page


def test_remember_me_lasts_the_configured_days_and_ends_with_a_password_reset(app, client, runner):
    response = _login(client, remember="1")
    remember = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
    assert "Max-Age=2592000" in remember or "Expires=" in remember  # DOCMGR_REMEMBER_DAYS = 30
    thief = app.test_client()
    thief.set_cookie("remember_token", client.get_cookie("remember_token").value)  # the long-lived cookie alone
    assert thief.get("/documents").status_code == 200
    assert runner.invoke(args=["docmgr", "user", "password", "clerk", "--password", "mat-khau-moi-1"]).exit_code == 0
    assert thief.get("/documents").status_code == 302
    assert client.get("/documents").status_code == 302


def test_bearer_tokens_list_revoke_and_end_with_a_password_reset(app, runner):
    issued = [runner.invoke(args=["docmgr", "user", "token", "clerk", "--name", n]).output.strip() for n in "ab"]
    api = app.test_client()
    headers = {"Authorization": f"Bearer {issued[0]}"}
    assert api.get("/api/documents", headers=headers).status_code == 200
    listed = runner.invoke(args=["docmgr", "user", "token", "clerk", "--list"]).output.splitlines()
    assert [line.split("\t")[1] for line in listed] == ["a", "b"]
    first_id = listed[0].split("\t")[0]
    assert runner.invoke(args=["docmgr", "user", "token", "clerk", "--revoke", first_id]).exit_code == 0
    assert api.get("/api/documents", headers=headers).status_code == 401
    assert api.get("/api/documents", headers={"Authorization": f"Bearer {issued[1]}"}).status_code == 200
    runner.invoke(args=["docmgr", "user", "password", "clerk", "--password", "mat-khau-moi-1"])
    assert api.get("/api/documents", headers={"Authorization": f"Bearer {issued[1]}"}).status_code == 401
    with app.extensions["docmgr"].sessionmaker() as db:
        assert db.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_disabling_an_account_ends_its_sessions_and_enabling_lets_it_log_in(app, client, runner):
    _login(client)
    assert runner.invoke(args=["docmgr", "user", "disable", "clerk"]).exit_code == 0
    assert client.get("/documents").status_code == 302
    assert _login(client).status_code == 401
    assert runner.invoke(args=["docmgr", "user", "enable", "clerk"]).exit_code == 0
    assert _login(client).status_code == 302
    assert runner.invoke(args=["docmgr", "user", "disable", "nobody"]).exit_code != 0


def test_managers_manage_accounts_on_the_users_page(app, client):
    _login(client, "admin")
    page = client.post("/users/new", data={"username": "vanthu2", "password": "12345678", "full_name": "Văn Thư Hai",
                                           "roles": ["clerk"]}, follow_redirects=True)
    assert page.status_code == 200 and "Văn Thư Hai" in page.text
    with app.extensions["docmgr"].sessionmaker() as db:
        user = db.scalar(select(User).where(User.username == "vanthu2"))
        assert user.roles == {"clerk"}
        user_id = user.id
    other = app.test_client()
    assert _login(other, "vanthu2", "12345678").status_code == 302
    reset = client.post(f"/users/{user_id}/password", follow_redirects=True).text
    assert "chỉ hiện một lần" in reset
    assert other.get("/documents").status_code == 302  # the reset ended that session
    token = client.post(f"/users/{user_id}/tokens", data={"name": "cổng"}, follow_redirects=True).text
    assert "Mã API số" in token
    assert "Đã khóa tài khoản" in client.post(f"/users/{user_id}/active", data={"active": "0"},
                                               follow_redirects=True).text
    assert client.post(f"/users/{user_id}", data={"full_name": "X", "roles": ["nope"]}).status_code == 400
    own = client.post("/account/logout-all", follow_redirects=True)
    assert "Đã đăng xuất khỏi mọi nơi" in own.text


def test_users_can_change_their_own_password(app, client):
    _login(client)
    wrong = client.post("/account", data={"current_password": "sai", "password": "mat-khau-moi-1",
                                          "confirm": "mat-khau-moi-1"}, follow_redirects=True)
    assert "Mật khẩu hiện tại không đúng" in wrong.text
    done = client.post("/account", data={"current_password": PASSWORD, "password": "mat-khau-moi-1",
                                         "confirm": "mat-khau-moi-1"}, follow_redirects=True)
    assert "Đã đổi mật khẩu" in done.text
    assert _login(client, password="mat-khau-moi-1").status_code == 302


# -- finding 11: CSRF ---------------------------------------------------------------------------------------

def test_a_bearer_header_does_not_skip_csrf_for_a_cookie_session(app, tmp_path, runner):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "clerk", "password": PASSWORD, "csrf_token": token}).status_code == 302
    for header in ("Bearer invalid", "Bearer "):
        response = client.post("/documents/1/unlock", headers={"Authorization": header})
        assert response.status_code == 400 and "CSRF" in response.text, header
    valid = runner.invoke(args=["docmgr", "user", "token", "clerk"]).output.strip()
    # A valid token beside a session cookie: the cookie authenticates, so CSRF still applies.
    assert client.post("/documents/1/unlock", headers={"Authorization": f"Bearer {valid}"}).status_code == 400
    api = app.test_client()  # the token alone: no cookie, no CSRF
    response = api.patch("/api/documents/999", json={"subject": "x"}, headers={"Authorization": f"Bearer {valid}"})
    assert response.status_code == 404
