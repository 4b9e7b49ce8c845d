Feature: Defence counsel reads the indictment's text into a case, confirms it, and sees practice beside the law
  Counsel holds an indictment, not a JSON file. The reader turns the text into a draft case in which
  every fact points at the words it was read from; counsel confirms it fact by fact, correcting what
  the reader got wrong, before it becomes the case of a hearing. Then the recommendation is seen
  beside the guideline and beside what similar decided cases really received.

  Scenario: From the indictment's text to the recommendation beside the guideline and similar cases
    Given defence counsel holds the bundled indictment "theft-indictment"
    When counsel reads the text
    Then the draft states the amount of 10000 yuan, quoting "上述被盗物品价值共计人民币10000元"
    And every fact of the draft points at the characters it was read from
    And the draft lists the defendant's record as not stated
    When counsel confirms every fact but corrects "compensation" to "compensation_and_forgiveness"
    Then the case holds the correction and carries the extraction record, with counsel's name
    When counsel asks for the recommendation beside the guideline and the court's decided cases
    Then the recommendation, the guideline's result and the similar cases' real terms are shown with percentiles

  Scenario: A text that names no charge is refused in one line saying what is missing
    Given defence counsel holds a text that names no charge and shows none
    When counsel reads the text
    Then the reading is refused on field "charge" saying "give it"
