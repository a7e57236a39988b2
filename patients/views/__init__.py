"""The patients app's pages, by family: ``records`` (list, registration, overview, record forms,
corrections, change log), ``assessment`` (guideline assessment, responses), ``plans`` (treatment
plans and their PDFs). ``loaders`` holds @load_patient and @load_plan, which every patient-bound
view goes through; ``common`` what the views share."""
