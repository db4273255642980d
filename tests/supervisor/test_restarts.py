"""make run starts a dead replica again, later after every death in a row, and says so; a
service that cannot be started again (the web app, nginx, the embedded servers) ends the run."""

import subprocess
import sys

from protheus.supervisor.processes import Service
from protheus.supervisor.run import RESTART_DELAYS, STEADY_SECONDS, Restarts, restartable, watch_step


def _service(name: str, seconds: float, log) -> Service:
    process = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])
    return Service(name, process, log, "http://127.0.0.1:1/")


def _dead(name: str, log) -> Service:
    service = _service(name, 0, log)
    service.process.wait()
    return service


def test_a_dead_replica_is_started_again_with_growing_delays(tmp_path, capsys):
    log = tmp_path / "rasa.log"
    log.write_text("Traceback: MemoryError\n", encoding="utf-8")
    starts = []

    def start() -> Service:
        starts.append(1)
        return _dead("rasa", log)  # dies at once, every time

    services = [restartable(start), _service("nginx", 30, tmp_path / "nginx.log")]
    restarts, now = Restarts(), 1000.0
    try:
        seen_delays = []
        for _ in range(4):
            assert watch_step(services, restarts, now) is None  # noticed: scheduled, not ended
            delay = restarts.due[0] - now
            seen_delays.append(delay)
            assert watch_step(services, restarts, now + delay - 0.5) is None and len(starts) == len(seen_delays)
            now += delay
            assert watch_step(services, restarts, now) is None  # started again
            services[0].process.wait()
        assert seen_delays == list(RESTART_DELAYS[:4])
        said = capsys.readouterr().err
        assert "Se detuvo 'rasa'" in said and "Lo inicio de nuevo en 1 s" in said and "MemoryError" in said
        assert "Inicié de nuevo 'rasa'" in said
    finally:
        services[1].process.kill()


def test_a_replica_that_stays_up_starts_its_count_again(tmp_path):
    log = tmp_path / "rasa.log"
    services = [restartable(lambda: _service("rasa", 30, log))]
    restarts = Restarts(deaths={0: 4}, started={0: 0.0})
    try:
        watch_step(services, restarts, STEADY_SECONDS + 1)
        assert 0 not in restarts.deaths
    finally:
        services[0].process.kill()


def test_a_service_that_cannot_be_started_again_ends_the_run(tmp_path):
    web = _dead("web", tmp_path / "web.log")
    replica = restartable(lambda: _service("rasa", 30, tmp_path / "rasa.log"))
    try:
        assert watch_step([replica, web], Restarts(), 0.0) is web
    finally:
        replica.process.kill()
