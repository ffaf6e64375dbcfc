"""Reading and writing text files."""
import json
import os


def read_text(path):
    with open(path) as f:
        


def read_json(path):
    with open(path) as f:
        return json.load(f)


def main():
    print(read_text(os.path.join(os.path.dirname(__file__), "README.md")))


