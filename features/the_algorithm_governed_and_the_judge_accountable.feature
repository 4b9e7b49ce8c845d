Feature: The algorithm is used only as the law allows, and the judge says how it was used
  A defendant may refuse the assistance of artificial intelligence, and a court may hear a case with no
  algorithm at all (法发〔2022〕33号 art. 5). A model must be the one the court filed (备案). When the judge's terms
  follow the algorithm too closely the judge must write why, and a term beyond the guideline's ±20% band goes to the
  adjudication committee (审判委员会). A party may demand the deep report, and the record shows it was given.

  Background:
    Given a court with a registered reference model and the bundled case "theft-non-local-unemployed"

  Scenario: The defendant refuses the algorithm, and the hearing proceeds on the guideline alone
    Given a hearing of the case before the model
    When the judge records that the defendant, told orally, refused the assistance of AI
    Then a what-if question to the model is refused, naming the refusal's entry
    And the guideline's derivation is still given
    When the judge adopts the guideline's lower bound and closes the hearing
    Then the judgment-ready citation says the defendant refused and the court did not ask the algorithm
    When the judge seals the hearing
    Then the pack holds the guideline report, not the model's report, and verifies and replays exactly

  Scenario: A case is heard with no model at all, sealed and replayed without any model
    Given a hearing of the case with no model
    Then every question that would ask a model is refused, and the guideline report is shown
    When the judge adopts the guideline's lower bound and closes the hearing
    Then the judgment-ready citation says the court used no algorithm model
    When the judge seals the hearing
    Then the appellate court verifies the pack, which says no model was used, and replays it with no model

  Scenario: A model other than the filed one answers, and the court must rule on that first
    Given the model was registered with a filing that names another model's digest
    And a hearing of the case before the model
    Then the record opens with the clerk's filing entry and a high finding that the model is not the filed one
    And the judge cannot write the citation until the finding is disposed of

  Scenario: After an anchoring warning the judge writes why, and a term beyond the band goes to the committee
    Given the judge has adopted the model's term exactly in 5 earlier hearings
    And a hearing of the case before the model
    Then the deviation monitor warns the judge of anchoring
    And a citation adopting the model's term without a written reason is refused, asking for 原因说明
    When the judge adopts 3 months more than the guideline's upper bound, with reasons and a written reason
    Then the ruling is marked for the adjudication committee and the citation says so in Chinese and English

  Scenario: The defence demands the deep report and the record shows it was provided
    Given a hearing of the case before the model
    When the defence objects to a fact and demands the deep tier of explanation
    Then the demand and the deep report are the record's last two entries
    And the deep tier's duty names the demand and the entry that provided it
