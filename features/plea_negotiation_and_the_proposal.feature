Feature: A plea case: the prosecution's sentencing proposal (量刑建议) under examination
  In a plea case (认罪认罚) the number at stake is the procuratorate's proposal, which the court generally
  should adopt (CPL art. 201). The negotiation that led to it, the duty lawyer's opinion, the defence's challenge
  and the court's decision on it are all in the record the appellate court verifies and replays.

  Background:
    Given a plea hearing of the bundled case "theft-plea-proposal" with defence, prosecution, a duty lawyer, the judge and the appellate judge

  Scenario: The proposal lies outside the band for a trial-stage plea, is adjusted, and the appeal court replays it all
    When the prosecution enters the proposal its sentencing assistant produced, 12 to 14 months
    And the duty lawyer records an opinion objecting to the proposal
    And the prosecution enters the digest of the recording of the signing
    And the defence asks in open court for the review of the proposal
    Then the review shows the proposal outside the guideline band of 7 to 11 months for a plea at trial
    When the judge asks for an adjustment and the prosecution enters an adjusted proposal of 10 months
    And the judge writes the citation adopting the adjusted proposal at 10 months with the reasons
    And the judge closes and seals the hearing
    Then the appellate court verifies the pack, the recording included
    And the citation in the pack records the adjustment under art. 201 ¶2 with the reasons
    And replaying the pack reproduces all 6 entries exactly

  Scenario: The duty lawyer queries in open court only with the court's leave
    When the duty lawyer asks in open court for the review of the proposal
    Then the duty lawyer is refused for want of the court's leave
    When the judge gives the duty lawyer leave
    And the duty lawyer asks in open court for the review of the proposal
    Then the record holds the court's leave and the duty lawyer's query
