Feature: The court reads the algorithm's report; a disputed recommendation gets the deep report
  A routine case gets the standard report: the recommendation beside the guideline, the main
  factors with their legal role and zone, the model's known error and the cautions. When a party
  disputes the recommendation, the case escalates to the deep report with its challenge findings.

  Scenario: A judge reads a standard report
    Given the bundled case "theft-non-local-unemployed" comes before the judge
    When the judge asks for the standard report in "zh-CN"
    Then the report shows the algorithm's recommendation beside the guideline's 5.5 months
    And every main factor is tagged liability, prevention or legally irrelevant, with its zone
    And the report states the model's held-out error and cautions in the spirit of State v. Loomis
    And the PDF is at most two pages, carries its JSON, and its Chinese text can be read back

  Scenario: The defence disputes the recommendation and receives a deep report with findings
    Given the bundled case "theft-non-local-unemployed" comes before the judge
    When the defence disputes the recommendation and the deep report is produced
    Then the findings include that household registration moves the recommendation
    And every finding gives its evidence, its legal basis and a question for the vendor's technician
    And the same request with the same seed gives the same report, byte for byte

  Scenario: A recommendation beyond the judge's band is flagged in the deep report
    A vendor's model of four charges never learned a robbery: asked about a home robbery it extrapolates far
    below the guideline's ten-year band, and the report says both that it lies outside the band and why it may.
    Given the bundled case "robbery-in-home" comes before the judge
    When the defence disputes the recommendation of a model of four charges and the deep report is produced
    Then the findings include that the recommendation lies outside the guideline's band
    And the findings include that the model was never validated on the case's charge
    And every finding gives its evidence, its legal basis and a question for the vendor's technician
