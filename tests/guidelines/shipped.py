"""The engine with the shipped protocol library (regimens/protocols/*.yaml, read without a database):
the entry points the guideline tests call, each handed the library and the one reading of the history
the way ``guidelines.evaluate.evaluate`` hands them."""

from guidelines import diagnosis, history, treatment
from guidelines import evaluate as engine
from guidelines.treatment import allogeneic
from regimens.library import from_files

LIBRARY = from_files()


def read(facts):
    """The reading of the treatment history evaluate makes."""
    return history.read_history(facts, LIBRARY)


def evaluate(facts):
    return engine.evaluate(facts, library=LIBRARY)


def classify(facts):
    return diagnosis.classify(facts, read(facts))


def recommend(facts, **kwargs):
    return treatment.recommend(facts, history=read(facts), library=LIBRARY, **kwargs)


def car_t_priority(facts, **kwargs):
    return treatment.car_t_priority(facts, history=read(facts), **kwargs)


def allo_criteria(facts, *, pcl):
    return allogeneic.allo_criteria(facts, read(facts), pcl=pcl)


def progression_before_hmas(facts):
    return allogeneic.progression_before_hmas(read(facts))


def part_of_a_line(line):
    return history.part_of_a_line(line, LIBRARY)
