import { ResourceTransformer } from '#transformers/jobs/resource_transformer'
import ProfileEducationTransformer from '#transformers/profiles/profile_education_transformer'
import ProfileExperienceTransformer from '#transformers/profiles/profile_experience_transformer'
import ProfileSkillTransformer from '#transformers/profiles/profile_skill_transformer'
import type { LoadedProfile } from '#services/profiles/profile_service'
import type { ProfilePreferences } from '#services/profiles/profile_completion'

/** A learner's whole profile: its row (absent until first saved), sections and completion. */
export default class ProfileTransformer extends ResourceTransformer<LoadedProfile> {
  toObject() {
    const { membershipId, profile, notifications, education, experience, skills, completion } =
      this.resource
    const preferences: ProfilePreferences = profile?.preferences ?? {}
    return {
      membershipId,
      headline: profile?.headline ?? null,
      summary: profile?.summary ?? null,
      preferences: {
        jobTypes: preferences.jobTypes ?? [],
        locations: preferences.locations ?? [],
        remote: preferences.remote ?? null,
        industries: preferences.industries ?? [],
        salaryMin: preferences.salaryMin ?? null,
        salaryMax: preferences.salaryMax ?? null,
        salaryCurrency: preferences.salaryCurrency ?? null,
      },
      notifications,
      education: ProfileEducationTransformer.collection(education),
      experience: ProfileExperienceTransformer.collection(experience),
      skills: ProfileSkillTransformer.collection(skills),
      completion,
    }
  }
}
