Feature: The sealed evidence pack: the judge seals, the appellate court verifies and replays without trusting us

  Background:
    Given a closed hearing of the bundled case "theft-non-local-unemployed" in which the defence asked 3 questions
    And the judge has a sealing key the court has approved, and the court runs a timestamp authority

  Scenario: The judge seals the hearing into a pack and the court dockets it
    When the judge seals the hearing
    Then the pack holds the case, the model, the reports, the record of 3 entries, the citation and VERIFY.txt
    And the court's docket lists the pack as version 1 of the hearing
    And the hearing is sealed

  Scenario: The appellate court verifies the pack and replays every query
    Given the judge has sealed the hearing and the court has published its keys and docket
    When the appellate court verifies the pack with only what the court published
    Then every check passes
    And the same verdict is reached by the court's published verification script, with standard tools
    When the appellate court replays the pack
    Then all 3 queries and the report give results with the same digests as recorded
    When the appellate court asks a new question against the sealed model
    Then its record starts from the pack's digest

  Scenario: A tampered pack is caught and the failed check is named
    Given the judge has sealed the hearing and the court has published its keys and docket
    When someone changes the adopted sentence in the sealed citation and re-makes the bag
    Then verification fails and names the "signature" check
    And the published script fails at the step "signature"
    And replay refuses to run the tampered pack

  Scenario: A pack whose VERIFY.txt was replaced by a forger's is refused by the court's script
    Given the judge has sealed the hearing and the court has published its keys and docket
    When someone replaces the pack's VERIFY.txt with a script that prints VERIFIED
    Then the published script fails at the step "VERIFY.txt is not the court's published script"
    And verification fails and names the "profile" check
