"""Where the project's files live, relative to the repository root."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DOMAIN_DIR = ROOT / "domain"
CONFIG_FILE = ROOT / "config.yml"
MODELS_DIR = ROOT / "models"
TEST_NLU_DIR = ROOT / "tests" / "nlu"
STATE_DIR = ROOT / ".state"
ROUTING_FILE = ROOT / "routing.yml"
GUIDELINE_FILE = ROOT.parent / "shared" / "seeds" / "000_da23197a42e3a1b6.txt"
CATALOGUE_FILE = ROOT.parent / "shared" / "spec" / "intents.yml"
