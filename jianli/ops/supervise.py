"""`jianli serve`'s children: started together, restarted when one exits, stopped (and waited for) on exit."""

from __future__ import annotations

import logging
import subprocess
import threading
import time

log = logging.getLogger("jianli.serve")


class Supervisor:
    def __init__(self) -> None:
        self.commands: dict[str, list[str]] = {}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()

    def add(self, name: str, argv: list[str]) -> None:
        self.commands[name] = argv

    def start(self, name: str) -> None:
        self.processes[name] = subprocess.Popen(self.commands[name])
        log.info("%s started (pid %s)", name, self.processes[name].pid)

    def start_all(self) -> None:
        for name in self.commands:
            self.start(name)

    def check(self) -> None:
        for name, process in list(self.processes.items()):
            if process.poll() is not None and not self.stopping.is_set():
                log.warning("%s exited with %s; restarting", name, process.returncode)
                self.start(name)

    def watch(self, every: float = 1.0) -> None:
        while not self.stopping.wait(every):
            self.check()

    def watch_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.watch, name="supervisor", daemon=True)
        thread.start()
        return thread

    def stop_all(self, timeout: float = 15.0) -> None:
        self.stopping.set()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout
        for name, process in self.processes.items():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", name)
                process.kill()
                process.wait()
