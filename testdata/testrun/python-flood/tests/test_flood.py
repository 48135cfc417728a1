import unittest


class FloodTest(unittest.TestCase):
    def test_flood(self):
        """Writes far more output than a runner keeps, then fails."""
        line = "flood " * 20
        for i in range(20000):
            print(i, line)
        self.fail("flood done")
