//! Classification metrics (SPEC §3): ROC-AUC, PR-AUC, F1, accuracy, confusion.
