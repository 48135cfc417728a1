import subprocess
import time
import unittest


class HangTest(unittest.TestCase):
    def test_hang(self):
        """Starts a child, records its pid in child.pid, never returns."""
        child = subprocess.Popen(["sleep", "300"])
        with open("child.pid", "w") as f:
            f.write(str(child.pid))
        time.sleep(3600)
