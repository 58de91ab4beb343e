import vine from '@vinejs/vine'
import { RESUME_TYPES } from '#services/profiles/resume_service'

export const createResumeValidator = vine.create({
  filename: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(255)
    // No path separators, no markup, no control characters (Unicode Cc, spelled out so that
    // the documented pattern is one any regex engine and test generator understands).
    // eslint-disable-next-line no-control-regex
    .regex(/^[^/\\<>\u0000-\u001f\u007f-\u009f]+$/),
  contentType: vine.enum(Object.keys(RESUME_TYPES) as (keyof typeof RESUME_TYPES)[]),
})
