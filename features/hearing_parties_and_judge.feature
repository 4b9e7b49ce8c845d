Feature: One hearing, several parties with different rights, one record nobody can quietly change

  Background:
    Given a hearing of the bundled case "theft-non-local-unemployed" with defence, prosecution and a judge

  Scenario: Defence and prosecution query the same hearing and both see the record
    When the defence asks in open court what if restitution had not been made
    And the prosecution asks in open court whether legally irrelevant factors move the recommendation
    Then the defence and the prosecution both see the same record of 2 entries
    And the record verifies as complete and unaltered

  Scenario: The judge writes the algorithm citation and closes the hearing
    Given the defence has asked in open court what if restitution had not been made
    When the judge tries to close the hearing without a citation
    Then the hearing stays open and the judge is told to write the citation first
    When the judge writes the citation adopting 7 months
    And the judge closes the hearing
    Then the hearing is closed and no party can add to its record

  Scenario: An unauthorised role is refused
    When the prosecution tries to write the judge's citation
    Then the prosecution is refused because its role may not write the algorithm citation
    And the record is unchanged
