import RecoupCore

/// The strategy every client uses until a default or a strategy of its own is activated (docs/strategies.md explains
/// each step; its text there is this source, word for word).
public enum DefaultStrategy {
    /// The default strategy's file.
    public static let source = """
        # Recoup's default strategy. docs/strategies.md explains every track and step.
        name: standard
        description: >-
          Prevention first (a reminder before the due date), then clear, firm and lawful steps that differ for
          debtors in hardship and for avoiders, and hand-over to an agency when payment is not an option.
        tracks:
          # Tracks are tried in order and a debt takes the first whose conditions it meets: specific ones first.
          - name: disputed
            when: {segments: [disputed]}
            steps:
              - id: dispute-wait
                day: 0
                action: wait
                note: >-
                  A disputed debt is not collected until the dispute is answered. The run pauses it until
                  verification is sent; this track only waits, and the debt takes up its own track again afterwards.

          - name: unreachable
            when: {segments: [unreachable]}
            steps: &find-the-debtor
              - id: ask-client
                day: -7
                action: request_contact_details
                repeatEvery: 14
                note: >-
                  We have no working way to reach the debtor, so the client is asked for a current phone number,
                  email or address: a week before the due date, so that a reminder can still go out in time, and
                  again every 14 days until the skip trace.
              - id: skip-trace
                day: 45
                action: skip_trace
                note: >-
                  Still no way to reach them: a person looks for current contact details (public records, a
                  tracing service) so that the final notice reaches the debtor.
              - id: final-notice
                day: 60
                action: final_notice
                template: final-notice
                note: >-
                  The final notice, by letter, to the address found: what is owed, how to pay or agree a plan, and
                  what happens next if nothing is paid or agreed.
              - id: agency
                day: 90
                action: place_with_agency
                agency: partner-agency
                note: >-
                  Hand-over to the partner agency, whose tracing and collection work takes over; the client's own
                  strategy stops for the debt.

          - name: no contact details
            when: {contactable: false}
            steps: *find-the-debtor

          - name: hardship
            when: {segments: [hardship]}
            steps:
              - id: before-due
                day: -3
                action: email
                template: reminder-before-due
                note: A friendly reminder three days before the due date, with the amount and how to pay.
              - id: offer-plan
                day: 3
                action: offer_plan
                template: plan-offer
                note: >-
                  A plan is offered early, three days after the due date, within the client's terms. While the
                  debtor keeps to a plan the strategy pauses by itself.
              - id: reminder-1
                day: 10
                action: email
                template: reminder
                note: A gentle reminder that the balance is open and that a plan is there if it helps.
              - id: call-1
                day: 18
                action: call
                note: >-
                  A call to listen: what can the debtor pay, and when? The collector can agree a plan or a promise
                  on the call.
              - id: offer-again
                day: 28
                action: offer_plan
                template: plan-offer
                repeatEvery: 28
                note: >-
                  The plan is offered again every four weeks until the final notice; a debtor who came into
                  hardship after day 3 gets their first offer here.
              - id: final-notice
                day: 90
                action: final_notice
                template: final-notice
                note: >-
                  After three months with no plan and no payment, the final notice by letter: later than on the
                  other tracks.
              - id: agency
                day: 120
                action: place_with_agency
                agency: partner-agency
                note: Hand-over to the partner agency after four months with nothing agreed.

          - name: avoider
            when: {segments: [avoider]}
            steps:
              - id: before-due
                day: -5
                action: email
                template: reminder-before-due
                note: An earlier reminder, five days before the due date, for debtors who have paid late before.
              - id: reminder-1
                day: 1
                action: email
                template: reminder
                note: A reminder the day after the due date, not a week later.
              - id: call-1
                day: 3
                action: call
                note: A call three days late, to ask for payment or a firm date.
              - id: call-2
                day: 7
                action: call
                repeatEvery: 3
                note: Calls every three days until the letter, within the compliance engine's limits on calls.
              - id: letter-1
                day: 14
                action: letter
                template: reminder
                note: A letter two weeks late, on paper to the debtor's address.
              - id: final-notice
                day: 21
                action: final_notice
                template: final-notice
                note: The final notice, by letter, three weeks late.
              - id: agency
                day: 45
                action: place_with_agency
                agency: partner-agency
                note: Hand-over to the partner agency at 45 days, sooner than on the other tracks.

          - name: business
            when: {debtorKind: commercial}
            steps:
              - id: before-due
                day: -7
                action: email
                template: reminder-before-due
                note: >-
                  A reminder a week before the due date, in time for the debtor's accounts payable to schedule the
                  payment.
              - id: reminder-1
                day: 3
                action: email
                template: reminder
                note: A reminder three days late, to the accounts contact.
              - id: call-1
                day: 10
                action: call
                note: A call to accounts payable to find out whether the invoice is approved and when it will be paid.
              - id: offer-plan
                day: 20
                action: offer_plan
                template: plan-offer
                note: Payment in instalments within the client's terms, for a business short of cash.
              - id: letter-1
                day: 30
                action: letter
                template: reminder
                note: A letter a month late, on paper to the business's address.
              - id: final-notice
                day: 45
                action: final_notice
                template: final-notice
                note: The final notice, by letter, a month and a half late.
              - id: legal-review
                day: 60
                action: legal_review
                when: {balance: {atLeast: "10000.00"}}
                note: >-
                  For balances of 10,000.00 or more, a person reviews whether legal action would serve better than
                  an agency, and pauses the strategy for the debt if so.
              - id: agency
                day: 75
                action: place_with_agency
                agency: partner-agency
                note: Hand-over to the partner agency at 75 days.

          - name: standard
            steps:
              - id: before-due
                day: -3
                action: email
                template: reminder-before-due
                note: A friendly reminder three days before the due date, with the amount and how to pay.
              - id: reminder-1
                day: 7
                action: email
                template: reminder
                note: A reminder a week late, with the amount owed and the ways to pay or get in touch.
              - id: call-1
                day: 14
                action: call
                note: A first call two weeks late, to ask for payment and to hear whether something is wrong.
              - id: offer-plan
                day: 21
                action: offer_plan
                template: plan-offer
                note: A plan within the client's terms, three weeks late; the strategy pauses while a plan is kept.
              - id: letter-1
                day: 30
                action: letter
                template: reminder
                note: A letter a month late, on paper to the debtor's address.
              - id: call-2
                day: 35
                action: call
                repeatEvery: 7
                when: {minDaysSinceContact: 5}
                note: >-
                  A call every week until the final notice, unless someone spoke with the debtor in the last five
                  days.
              - id: final-notice
                day: 45
                action: final_notice
                template: final-notice
                note: The final notice, by letter, a month and a half late.
              - id: agency
                day: 75
                action: place_with_agency
                agency: partner-agency
                note: Hand-over to the partner agency at 75 days; the client's own strategy stops for the debt.

        """

    /// The default strategy as Core values.
    public static let strategy: Strategy = {
        do {
            return try StrategyDocument.parse(source)
        } catch {
            // The source is a constant that StrategyDocumentTests reads; it cannot fail at run time.
            preconditionFailure("the built-in default strategy does not read: \(error)")
        }
    }()
}
