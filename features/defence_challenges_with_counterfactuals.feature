Feature: Defence counsel examines the algorithm with counterfactual questions
  Counsel may ask, live in the hearing, what the algorithm would say if a disputed fact were
  otherwise, what is the smallest change of facts that brings the recommendation below a line,
  and whether a factor the law says must not matter moves it.

  Scenario: Defence asks a what-if on a disputed fact
    Given the bundled case "theft-non-local-unemployed" is before the court
    When defence counsel disputes "restitution" with the versions "yes" and "no"
    Then both versions are shown, each with the algorithm's and the guideline's recommendation
    And the version without restitution raises the guideline's recommendation
    And the version the prosecution charged changes nothing

  Scenario: Defence finds the smallest change of facts that brings the recommendation below 36 months
    Given the bundled case "theft-burglary-recidivist" is before the court
    When defence counsel asks for the smallest change that brings the recommendation below 36 months
    Then the answer changes 1 disputable fact, and this is proven to be the fewest
    And every answer is a lawful case that the model, asked again, puts below 36 months
    And no answer changes a fact the court has fixed or an attribute of the defendant

  Scenario: The model is shown to react to household registration
    Given the bundled case "fraud-telecom-accessory" is before the court
    When defence counsel asks whether legally irrelevant factors move the recommendation
    Then household registration is reported as a ground for challenge under Criminal Law art. 4
    And the guideline's recommendation does not move for any legally irrelevant factor
