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
    'auth.register': { paramsTuple?: []; params?: {} }
    'auth.verify_email': { paramsTuple?: []; params?: {} }
    'auth.login': { paramsTuple?: []; params?: {} }
    'auth.refresh': { paramsTuple?: []; params?: {} }
    'auth.logout': { paramsTuple?: []; params?: {} }
    'auth.logout_all': { paramsTuple?: []; params?: {} }
    'me.show': { paramsTuple?: []; params?: {} }
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
    'audit_events.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
  GET: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'open_api.document': { paramsTuple?: []; params?: {} }
    'open_api.page': { paramsTuple?: []; params?: {} }
    'open_api.asset': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'api_index.show': { paramsTuple?: []; params?: {} }
    'me.show': { paramsTuple?: []; params?: {} }
    'schools.index': { paramsTuple?: []; params?: {} }
    'members.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'audit_events.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
  HEAD: {
    'health.live': { paramsTuple?: []; params?: {} }
    'health.ready': { paramsTuple?: []; params?: {} }
    'open_api.document': { paramsTuple?: []; params?: {} }
    'open_api.page': { paramsTuple?: []; params?: {} }
    'open_api.asset': { paramsTuple: [ParamValue]; params: {'file': ParamValue} }
    'api_index.show': { paramsTuple?: []; params?: {} }
    'me.show': { paramsTuple?: []; params?: {} }
    'schools.index': { paramsTuple?: []; params?: {} }
    'members.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'audit_events.index': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
  }
  POST: {
    'auth.register': { paramsTuple?: []; params?: {} }
    'auth.verify_email': { paramsTuple?: []; params?: {} }
    'auth.login': { paramsTuple?: []; params?: {} }
    'auth.refresh': { paramsTuple?: []; params?: {} }
    'auth.logout': { paramsTuple?: []; params?: {} }
    'auth.logout_all': { paramsTuple?: []; params?: {} }
    'schools.store': { paramsTuple?: []; params?: {} }
    'cohorts.store': { paramsTuple: [ParamValue]; params: {'schoolId': ParamValue} }
    'cohorts.add_member': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
    'cohorts.assign_mentor': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
  }
  PATCH: {
    'schools.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'membershipId': ParamValue} }
    'cohorts.update': { paramsTuple: [ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue} }
  }
  DELETE: {
    'cohorts.remove_member': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'schoolId': ParamValue,'cohortId': ParamValue,'membershipId': ParamValue} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}