"""The path pages under hand-edited and hostile URLs: a clear page or a default, never a
server error."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_a_hand_edited_top_is_a_default_or_the_maximum_never_a_server_error(client: TestClient) -> None:
    from bot.web.routes.path import MAX_TOP, top_of

    # "²" and "١٢" pass str.isdigit(); int() refuses the first, and any number over 4,300 digits.
    for raw, expected in (("²", 5), ("١٢", 5), ("9" * 5000, MAX_TOP), ("0" * 10 + "7", 7), (" 3 ", 3),
                          ("-3", 5), ("0", 1), ("1e3", 5), ("", 5)):
        assert top_of(raw) == expected, raw
    for top in ("²", "9" * 5000):
        for params in ({"top": top}, {"skills": "SQL, Python", "top": top}):
            page = client.get("/internships", params=params)
            assert page.status_code == 200, (params, page.text[:300])
            assert 'name="top"' in page.text
    ranked = client.get("/internships", params={"skills": "SQL, Python", "top": "9" * 5000})
    assert f'value="{MAX_TOP}"' in ranked.text
