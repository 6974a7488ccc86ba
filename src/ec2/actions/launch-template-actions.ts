import type { AnyEc2Action } from "../action.ts";
import { createLaunchTemplateAction } from "./create-launch-template.ts";
import { createLaunchTemplateVersionAction } from "./create-launch-template-version.ts";
import { deleteLaunchTemplateAction } from "./delete-launch-template.ts";
import { deleteLaunchTemplateVersionsAction } from "./delete-launch-template-versions.ts";
import { describeLaunchTemplateVersionsAction } from "./describe-launch-template-versions.ts";
import { describeLaunchTemplatesAction } from "./describe-launch-templates.ts";
import { getLaunchTemplateDataAction } from "./get-launch-template-data.ts";
import { modifyLaunchTemplateAction } from "./modify-launch-template.ts";

/** CreateLaunchTemplate(Version), DescribeLaunchTemplates, DescribeLaunchTemplateVersions, ModifyLaunchTemplate, DeleteLaunchTemplate(Versions), GetLaunchTemplateData. */
export const LAUNCH_TEMPLATE_ACTIONS: readonly AnyEc2Action[] = [
  createLaunchTemplateAction,
  createLaunchTemplateVersionAction,
  describeLaunchTemplatesAction,
  describeLaunchTemplateVersionsAction,
  modifyLaunchTemplateAction,
  deleteLaunchTemplateAction,
  deleteLaunchTemplateVersionsAction,
  getLaunchTemplateDataAction,
];
