import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'open_api.document': { paramsTuple?: []; params?: {} }
    'open_api.page': { paramsTuple?: []; params?: {} }
    'open_api.asset': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'api_index.show': { paramsTuple?: []; params?: {} }
    'schools.index': { paramsTuple?: []; params?: {} }
    'schools.store': { paramsTuple?: []; params?: {} }
    'schools.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'members.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'cohorts.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
    'cohorts.add_member': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
    'cohorts.remove_member': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue,'membershipId': ParamValue} }
    'cohorts.assign_mentor': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
    'role_permissions.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'role_permissions.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'role': ParamValue} }
    'role_permissions.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'role': ParamValue} }
    'audit_events.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'platform_audit_events.index': { paramsTuple?: []; params?: {} }
    'platform_users.disable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform_users.enable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'auth.register': { paramsTuple?: []; params?: {} }
    'auth.verify_email': { paramsTuple?: []; params?: {} }
    'auth.login': { paramsTuple?: []; params?: {} }
    'auth.refresh': { paramsTuple?: []; params?: {} }
    'auth.logout': { paramsTuple?: []; params?: {} }
    'auth.logout_all': { paramsTuple?: []; params?: {} }
    'me.show': { paramsTuple?: []; params?: {} }
    'password_reset.forgot': { paramsTuple?: []; params?: {} }
    'password_reset.reset': { paramsTuple?: []; params?: {} }
    'mfa.challenge': { paramsTuple?: []; params?: {} }
    'mfa.enroll': { paramsTuple?: []; params?: {} }
    'mfa.confirm': { paramsTuple?: []; params?: {} }
    'mfa.disable': { paramsTuple?: []; params?: {} }
    'mfa.recovery_codes': { paramsTuple?: []; params?: {} }
    'me_security.reauthenticate': { paramsTuple?: []; params?: {} }
    'me_security.change_password': { paramsTuple?: []; params?: {} }
    'me_sessions.sessions': { paramsTuple?: []; params?: {} }
    'me_sessions.destroy_session': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'me_sessions.devices': { paramsTuple?: []; params?: {} }
    'me_sessions.trust': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'me_sessions.destroy_device': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'oauth.redirect': { paramsTuple: [ParamValue]; params: {'provider': ParamValue} }
    'oauth.callback': { paramsTuple: [ParamValue]; params: {'provider': ParamValue} }
    'oauth.exchange': { paramsTuple?: []; params?: {} }
    'platform.job_sources.index': { paramsTuple?: []; params?: {} }
    'platform.job_sources.store': { paramsTuple?: []; params?: {} }
    'platform.job_sources.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform.job_sources.run': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform.job_sources.pause': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform.job_sources.resume': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform.job_sources.runs': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'school.job_sources.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.job_sources.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.job_sources.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.job_sources.run': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.job_sources.pause': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.job_sources.resume': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.job_sources.runs': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.jobs.search': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.jobs.suggest': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.jobs.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.applications.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.applications.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.school_index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.show': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.update': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.completion': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.skills': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.education.create': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.education.reorder': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.education.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.education.delete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.experience.create': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.experience.reorder': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.experience.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.experience.delete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.add_skill': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.skills.reorder': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.update_skill': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.skills.delete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.show_learner': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'resumes.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'resumes.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'resumes.complete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.download': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.make_default': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.learner_index': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'resumes.learner_download': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue,'id': ParamValue} }
    'reports.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'reports.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'analytics.overview': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.revoke': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'invitations.resend': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'mfa_recovery.approve': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'mfa_recovery.deny': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'mfa_recovery.request': { paramsTuple?: []; params?: {} }
    'mfa_recovery.verify': { paramsTuple?: []; params?: {} }
    'mfa_recovery.cancel': { paramsTuple?: []; params?: {} }
    'machine_clients.token': { paramsTuple?: []; params?: {} }
    'machine_clients.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'machine_clients.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'machine_clients.rotate': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'clientId': ParamValue} }
    'machine_clients.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'clientId': ParamValue} }
    'machine_clients.roster_sync': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
  GET: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'open_api.document': { paramsTuple?: []; params?: {} }
    'open_api.page': { paramsTuple?: []; params?: {} }
    'open_api.asset': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'api_index.show': { paramsTuple?: []; params?: {} }
    'schools.index': { paramsTuple?: []; params?: {} }
    'members.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'role_permissions.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'audit_events.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'platform_audit_events.index': { paramsTuple?: []; params?: {} }
    'me.show': { paramsTuple?: []; params?: {} }
    'me_sessions.sessions': { paramsTuple?: []; params?: {} }
    'me_sessions.devices': { paramsTuple?: []; params?: {} }
    'oauth.redirect': { paramsTuple: [ParamValue]; params: {'provider': ParamValue} }
    'oauth.callback': { paramsTuple: [ParamValue]; params: {'provider': ParamValue} }
    'platform.job_sources.index': { paramsTuple?: []; params?: {} }
    'platform.job_sources.runs': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'school.job_sources.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.job_sources.runs': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.jobs.search': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.jobs.suggest': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.jobs.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.applications.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.school_index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.show': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.completion': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.skills': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.show_learner': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'resumes.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'resumes.download': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.learner_index': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'resumes.learner_download': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue,'id': ParamValue} }
    'reports.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'analytics.overview': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'machine_clients.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
  HEAD: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'open_api.document': { paramsTuple?: []; params?: {} }
    'open_api.page': { paramsTuple?: []; params?: {} }
    'open_api.asset': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'api_index.show': { paramsTuple?: []; params?: {} }
    'schools.index': { paramsTuple?: []; params?: {} }
    'members.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'role_permissions.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'audit_events.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'platform_audit_events.index': { paramsTuple?: []; params?: {} }
    'me.show': { paramsTuple?: []; params?: {} }
    'me_sessions.sessions': { paramsTuple?: []; params?: {} }
    'me_sessions.devices': { paramsTuple?: []; params?: {} }
    'oauth.redirect': { paramsTuple: [ParamValue]; params: {'provider': ParamValue} }
    'oauth.callback': { paramsTuple: [ParamValue]; params: {'provider': ParamValue} }
    'platform.job_sources.index': { paramsTuple?: []; params?: {} }
    'platform.job_sources.runs': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'school.job_sources.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.job_sources.runs': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.jobs.search': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.jobs.suggest': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.jobs.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.applications.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.school_index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.show': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.completion': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.skills': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.show_learner': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'resumes.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'resumes.download': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.learner_index': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'resumes.learner_download': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue,'id': ParamValue} }
    'reports.show': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'analytics.overview': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.show': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'machine_clients.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
  POST: {
    'schools.store': { paramsTuple?: []; params?: {} }
    'cohorts.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.add_member': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
    'cohorts.assign_mentor': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
    'platform_users.disable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform_users.enable': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'auth.register': { paramsTuple?: []; params?: {} }
    'auth.verify_email': { paramsTuple?: []; params?: {} }
    'auth.login': { paramsTuple?: []; params?: {} }
    'auth.refresh': { paramsTuple?: []; params?: {} }
    'auth.logout': { paramsTuple?: []; params?: {} }
    'auth.logout_all': { paramsTuple?: []; params?: {} }
    'password_reset.forgot': { paramsTuple?: []; params?: {} }
    'password_reset.reset': { paramsTuple?: []; params?: {} }
    'mfa.challenge': { paramsTuple?: []; params?: {} }
    'mfa.enroll': { paramsTuple?: []; params?: {} }
    'mfa.confirm': { paramsTuple?: []; params?: {} }
    'mfa.recovery_codes': { paramsTuple?: []; params?: {} }
    'me_security.reauthenticate': { paramsTuple?: []; params?: {} }
    'me_security.change_password': { paramsTuple?: []; params?: {} }
    'me_sessions.trust': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'oauth.exchange': { paramsTuple?: []; params?: {} }
    'platform.job_sources.store': { paramsTuple?: []; params?: {} }
    'platform.job_sources.run': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform.job_sources.pause': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'platform.job_sources.resume': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'school.job_sources.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'school.job_sources.run': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.job_sources.pause': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.job_sources.resume': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.education.create': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.experience.create': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.add_skill': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'resumes.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'resumes.complete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.make_default': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'reports.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'invitations.revoke': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'invitations.resend': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'invitations.accept': { paramsTuple: [ParamValue]; params: {'token': ParamValue} }
    'mfa_recovery.approve': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'mfa_recovery.deny': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'mfa_recovery.request': { paramsTuple?: []; params?: {} }
    'mfa_recovery.verify': { paramsTuple?: []; params?: {} }
    'mfa_recovery.cancel': { paramsTuple?: []; params?: {} }
    'machine_clients.token': { paramsTuple?: []; params?: {} }
    'machine_clients.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'machine_clients.rotate': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'clientId': ParamValue} }
    'machine_clients.roster_sync': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
  PATCH: {
    'schools.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'cohorts.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
    'platform.job_sources.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'school.job_sources.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'school.applications.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.update': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.education.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.experience.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.update_skill': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
  }
  DELETE: {
    'cohorts.remove_member': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue,'membershipId': ParamValue} }
    'role_permissions.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'role': ParamValue} }
    'mfa.disable': { paramsTuple?: []; params?: {} }
    'me_sessions.destroy_session': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'me_sessions.destroy_device': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'school.applications.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.education.delete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.experience.delete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'profiles.skills.delete': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'resumes.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'id': ParamValue} }
    'machine_clients.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'clientId': ParamValue} }
  }
  PUT: {
    'role_permissions.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'role': ParamValue} }
    'profiles.education.reorder': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.experience.reorder': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'profiles.skills.reorder': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}