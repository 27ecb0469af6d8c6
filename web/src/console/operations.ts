// Every operation the console sends, typed by graphql-codegen (npm run codegen) against the
// supergraph: results and variables are never typed by hand.
import { graphql } from '../generated';

export const ENTRY_FIELDS = graphql(`
  fragment ConsoleEntry on EscalationEntry {
    id
    origin
    status
    priority
    reasons
    queuedAt
    assignedAt
    resolvedAt
    resolution
    advisor {
      id
      name
    }
    client {
      id
      firstName
      lastName
    }
    lead {
      email
      name
      phone
    }
    callRequest {
      reason
      name
      phone
      notes
      requestedAt
      callBackBy
    }
    callBack {
      phone
      by
    }
    claim {
      id
      claimNumber
      status
      cciScore
      cciFactors {
        code
        label
        points
      }
      conversation {
        id
      }
    }
    conversation {
      id
      owner
      claim {
        id
      }
    }
    case {
      id
    }
  }
`);

export const QUEUE_FEED = graphql(`
  subscription ConsoleQueueFeed {
    escalationQueue {
      kind
      at
      eventId
      entry {
        ...ConsoleEntry
      }
    }
  }
`);

export const MY_ASSIGNMENTS_FEED = graphql(`
  subscription ConsoleMyAssignmentsFeed {
    myAssignments {
      kind
      at
      eventId
      entry {
        ...ConsoleEntry
      }
    }
  }
`);

export const ME = graphql(`
  query ConsoleMe($id: ID!) {
    advisor(id: $id) {
      id
      name
      status
      activeClaims
      capacity
    }
  }
`);

export const SET_ADVISOR_STATUS = graphql(`
  mutation ConsoleSetAdvisorStatus($input: SetAdvisorStatusInput!) {
    setAdvisorStatus(input: $input) {
      id
      status
    }
  }
`);

export const ESCALATION = graphql(`
  query ConsoleEscalation($id: ID!) {
    escalation(id: $id) {
      ...ConsoleEntry
      assignmentHistory {
        id
        startedAt
        endedAt
        mode
        advisor {
          id
          name
        }
      }
    }
  }
`);

export const ASSIGN = graphql(`
  mutation ConsoleAssignEscalation($input: AssignEscalationInput!) {
    assignEscalation(input: $input) {
      ...ConsoleEntry
    }
  }
`);

export const START = graphql(`
  mutation ConsoleStartEscalation($input: StartEscalationInput!) {
    startEscalation(input: $input) {
      ...ConsoleEntry
    }
  }
`);

export const RESOLVE = graphql(`
  mutation ConsoleResolveEscalation($input: ResolveEscalationInput!) {
    resolveEscalation(input: $input) {
      ...ConsoleEntry
    }
  }
`);

export const CLAIM_FILE = graphql(`
  query ConsoleClaimFile($id: ID!) {
    claim(id: $id) {
      id
      claimNumber
      status
      allowedTransitions
      type
      occurredAt
      occurredTimeKnown
      description
      location
      thirdPartyInvolved
      thirdPartyName
      thirdPartyContact
      thirdPartyResponsible
      amicableReport
      amicableReportNumber
      policeReport
      policeReportNumber
      estimatedDamage
      estimatedOn
      photoUrls
      cciScore
      cciPolicyVersion
      cciFactors {
        code
        label
        points
      }
      handling
      archived
      createdAt
      updatedAt
      closedAt
      assignedAdvisor {
        id
        name
      }
      client {
        id
        civility
        firstName
        lastName
        matricule
        email
        phone
        address
        postalCode
        city
        status
      }
      contract {
        id
        contractNumber
        type
        status
        subscribedOn
        expiresOn
        coverages
        thirdPartyDeductible
        collisionDeductible
        propertyDamageCover
        thirdPartyCover
        civilLiabilityCover
      }
      recommendedActions {
        id
        type
        description
        priority
        status
        createdAt
        executedAt
      }
      triggers {
        code
        kind
        reason
        at
      }
      statusHistory {
        from
        to
        reason
        actorKind
        at
      }
      activity {
        kind
        label
        at
        detail
      }
      reimbursements {
        id
        amountClaimed
        amountAccepted
        deductibleApplied
        rejectionReason
        acceptedAt
        paidAt
        paymentMethod
        status
        createdAt
      }
      case {
        id
      }
    }
  }
`);

export const CASE_JOURNAL = graphql(`
  query ConsoleCaseJournal($id: ID!) {
    case(id: $id) {
      id
      intent
      status
      leadEmail
      nextActionAt
      events(first: 50) {
        totalCount
        edges {
          node {
            id
            type
            timestamp
            source
            summary
            payload
          }
        }
      }
    }
  }
`);

export const CHANGE_STATUS = graphql(`
  mutation ConsoleChangeClaimStatus($input: ChangeClaimStatusInput!) {
    changeClaimStatus(input: $input) {
      id
      status
      allowedTransitions
    }
  }
`);

export const RECORD_ACTIVITY = graphql(`
  mutation ConsoleRecordClaimActivity($input: RecordClaimActivityInput!) {
    recordClaimActivity(input: $input) {
      id
      updatedAt
    }
  }
`);

export const SET_ACTION_STATUS = graphql(`
  mutation ConsoleSetRecommendedActionStatus($input: SetRecommendedActionStatusInput!) {
    setRecommendedActionStatus(input: $input) {
      id
      status
      executedAt
    }
  }
`);

export const CREATE_REIMBURSEMENT = graphql(`
  mutation ConsoleCreateReimbursement($input: CreateReimbursementInput!) {
    createReimbursement(input: $input) {
      id
      status
    }
  }
`);

export const UPDATE_REIMBURSEMENT = graphql(`
  mutation ConsoleUpdateReimbursement($input: UpdateReimbursementInput!) {
    updateReimbursement(input: $input) {
      id
      status
      amountAccepted
      deductibleApplied
      rejectionReason
      paymentMethod
    }
  }
`);

export const CONVERSATION = graphql(`
  query ConsoleConversation($id: ID!) {
    conversation(id: $id) {
      id
      owner
      status
      phase
      channel
      lastSequence
      advisor {
        id
        name
      }
      client {
        id
        firstName
        lastName
      }
      intake {
        cciScore
        cciFactors {
          code
          label
          points
        }
        completeness
        missingFacts
        liabilityRule
        liabilityReason
      }
    }
  }
`);

export const CONVERSATION_EVENTS = graphql(`
  subscription ConsoleConversationEvents($conversationId: ID!, $afterSequence: Int) {
    conversationEvents(conversationId: $conversationId, afterSequence: $afterSequence) {
      kind
      conversationId
      sequence
      owner
      participant
      typing
      at
      message {
        id
        role
        text
        sttTranscript
        timestamp
        sequence
        advisor {
          id
          name
        }
      }
      ownership {
        sequence
        from
        to
        cause
        reason
        advisorName
        at
        advisor {
          id
          name
        }
      }
    }
  }
`);

export const SEND_ADVISOR_MESSAGE = graphql(`
  mutation ConsoleSendAdvisorMessage($input: SendAdvisorMessageInput!) {
    sendAdvisorMessage(input: $input) {
      id
      sequence
    }
  }
`);

export const SET_TYPING = graphql(`
  mutation ConsoleSetTyping($input: SetTypingInput!) {
    setTyping(input: $input)
  }
`);

export const HAND_BACK = graphql(`
  mutation ConsoleHandBackToBot($input: HandBackToBotInput!) {
    handBackToBot(input: $input) {
      id
      owner
    }
  }
`);

export const CLOSE_CONVERSATION = graphql(`
  mutation ConsoleCloseConversation($input: CloseConversationInput!) {
    closeConversation(input: $input) {
      id
      owner
    }
  }
`);

export const ADVISORS = graphql(`
  query ConsoleAdvisors {
    advisors {
      id
      name
      status
      specialty
      activeClaims
      capacity
    }
  }
`);
