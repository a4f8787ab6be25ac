"""Case files (hồ sơ): a tree of folders holding documents, with local roles (Sharing) that apply below.

Nghị định 30/2020, Điều 28–31 and Phụ lục V: each file has a code ("01.TCCB"),
a title, a year, a retention period (a number of years or Vĩnh viễn) and the
person who keeps it; it is closed when the work is done (its documents are then
locked and its Mục lục văn bản is printed) and, when kept 5 years or more,
handed to the agency archive within a year of closing.
"""
