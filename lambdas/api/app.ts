import { forgetPerson } from './forget';
import { getProfile, findProfilesByQuery, searchProfiles } from './profiles';
import { createRouter, type RouteContext, type RouteHandlers, type Router, type RouterOptions } from './router';
import type { RouteResult } from './http';
import { createRun, getRun, getRunReport, listRuns } from './runs';
import { getScreenJob, screenList } from './screen';
import type { ApiServices } from './services';

/** The route functions of every route id, bound to their services. */
export function routeHandlers(services: ApiServices): RouteHandlers {
  const bind =
    (fn: (services: ApiServices, context: RouteContext) => Promise<RouteResult>) =>
    (context: RouteContext): Promise<RouteResult> =>
      fn(services, context);
  return {
    createRun: bind(createRun),
    listRuns: bind(listRuns),
    getRun: bind(getRun),
    getRunReport: bind(getRunReport),
    getProfile: bind(getProfile),
    findProfiles: bind(findProfilesByQuery),
    searchProfiles: bind(searchProfiles),
    forgetPerson: bind(forgetPerson),
    screenList: bind(screenList),
    getScreenJob: bind(getScreenJob),
  };
}

/** The whole API as one function from request to response: served by the Lambda handler and by `crm-merge serve`. */
export function createApi(services: ApiServices, options: RouterOptions): Router {
  return createRouter(routeHandlers(services), options);
}
