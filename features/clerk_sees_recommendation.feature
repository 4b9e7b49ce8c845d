Feature: A clerk loads a case and sees the algorithm's recommendation beside the guideline's range
  The algorithm's recommendation is expert evidence. Before anyone argues about it, the court
  must see it next to what the 2021 Guiding Opinions give for the same facts, step by step,
  with the legal source of every step.

  Scenario: The recommendation is shown beside the guideline's derivation and range
    Given the clerk loads the bundled case "theft-non-local-unemployed"
    When the clerk asks for the recommendation of the reference model
    Then the guideline's recommendation is 5.5 months within the statutory band of 1 to 36 months
    And every step of the derivation names its legal source
    And the algorithm's recommendation is shown with the model's verified fingerprint
    And the gap between the algorithm and the guideline is stated in months

  Scenario: The same examination is readable in Chinese
    Given the clerk loads the bundled case "dangerous-driving-accident"
    When the clerk asks for the recommendation of the reference model in "zh-CN"
    Then the report reads "算法建议刑期" and "量刑起点"

  Scenario: A case file with an impossible fact is refused, naming the field and the rule
    Given the clerk loads a case file in which the defendant was 9 years old
    Then the case is refused on field "age_at_offence" under rule "below_age_of_responsibility"
