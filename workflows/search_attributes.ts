import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common'

/* Registered on the dev server by bin/services (`--search-attribute SchoolId=Keyword` ...). */
export const SchoolIdKey = defineSearchAttributeKey('SchoolId', SearchAttributeType.KEYWORD)
export const WorkflowKindKey = defineSearchAttributeKey('WorkflowKind', SearchAttributeType.KEYWORD)
export const InviteEmailKey = defineSearchAttributeKey('InviteEmail', SearchAttributeType.KEYWORD)
export const InviteStatusKey = defineSearchAttributeKey('InviteStatus', SearchAttributeType.KEYWORD)
