import type { AnyEc2Action } from "../action.ts";

/** CreateLaunchTemplate(Version), DescribeLaunchTemplates, DescribeLaunchTemplateVersions, ModifyLaunchTemplate, DeleteLaunchTemplate. */
export const LAUNCH_TEMPLATE_ACTIONS: readonly AnyEc2Action[] = [];
