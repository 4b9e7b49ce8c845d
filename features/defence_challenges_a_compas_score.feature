Feature: Defence counsel challenges a COMPAS risk score
  The vendor's model is secret. Counsel audits the tool's recorded scores over everyone screened,
  fits a transparent surrogate to those scores, asks it what-if questions labelled with its
  fidelity, and puts the disparate false-positive finding to the court.

  Background:
    Given the ProPublica COMPAS data is on counsel's machine
    And counsel has fitted the surrogate to the tool's recorded scores

  Scenario: Counsel sees the error rates by group and the disparate false-positive finding
    When counsel audits the recorded scores by race
    Then the false positive rate is 42.3% for African-American defendants and 22.0% for Caucasian defendants
    And the findings say African-American defendants who did not re-offend were flagged 1.92 times as often

  Scenario: Counsel asks the surrogate what if, on prior offences and on age
    Given the person with data id 22, whom the tool rated 10 (High)
    When counsel asks the surrogate for prior offences 0, 1, 2 and 5
    Then every answer is labelled as the surrogate's, with its cross-validated fidelity of 62.1%
    And with no prior offences the surrogate gives the class Low
    When counsel asks the surrogate for ages 25, 35 and 45
    Then the surrogate's score falls as the age rises

  Scenario: Counsel files the challenge report in Chinese
    Given the person with data id 22, whom the tool rated 10 (High)
    When counsel writes the deep risk report in "zh-CN"
    Then the report's first finding is the disparate false positive rate of 非裔美国人
    And the report finds that the public facts do not explain the person's score
    And the PDF carries the report's JSON

  Scenario: The score is examined in a hearing, cited by the judge, sealed and replayed on appeal
    Given the clerk has registered the surrogate and opened a hearing on the person with data id 22
    When counsel asks in open court what if the person had no prior offences
    And the judge escalates to the deep report
    Then the hearing record holds 2 queries, each answered by the registered surrogate
    When the defence objects to the first finding and the technician answers it under the technician's own key
    And the judge disposes of every challenge finding, upholding the first, with reasons
    Then each challenge finding shows the objection, the signed answer and the court's disposition
    When the judge finds the class Medium against the tool's High, gives reasons, and closes the hearing
    And the judge seals the hearing
    Then the appellate court verifies the pack, and the court's published script agrees
    And replaying the pack gives every query and the report with the same digests as recorded
