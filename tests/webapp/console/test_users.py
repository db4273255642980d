"""User management over HTTP (admins only)."""

from tests.webapp.console.console_client import console, run


def test_admin_manages_users(db, status_file):
    async def scenario():
        async with console(db, status_file, {"jefa": "admin"}) as c:
            await c.login("jefa")
            response = await c.post("/consola/usuarios", {"usuario": "nuevo", "rol": "agente", "clave": "corta"})
            assert response.status == 400 and "al menos 10" in await response.text()
            response = await c.post(
                "/consola/usuarios", {"usuario": "nuevo", "rol": "agente", "clave": "clave-larga-nueva"}
            )
            assert response.status == 200 and "creado" in await response.text()
            from protheus.db.accounts import AccountStore

            me = next(u for u in AccountStore(db).users() if u.username == "jefa")
            response = await c.post(f"/consola/usuarios/{me.id}", {"rol": "agente", "activo": "1"})
            assert response.status == 400 and "No puede quitarse" in await response.text()

    run(scenario)
