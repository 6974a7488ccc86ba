import { missingParameter } from "../../domain/images/image-errors.ts";
import { assertImageId } from "../../domain/images/image-rules.ts";
import { defineAction } from "../action.ts";
import { getString } from "../query-params.ts";
import { PARAM_IMAGE_ID } from "./image-wire.ts";

interface DeregisterImageInput {
  readonly imageId: string;
}

/**
 * DeregisterImage: only the owner may deregister (others: AuthFailure `Not authorized for
 * image:ami-...`); afterwards the id is InvalidAMIID.NotFound everywhere. Instances launched from
 * the AMI keep running with the options they resolved at launch. `DeleteAssociatedSnapshots` is
 * accepted and ignored (no snapshots are modelled), so no `deleteSnapshotResultSet` is returned.
 */
export const deregisterImageAction = defineAction<DeregisterImageInput>({
  name: "DeregisterImage",
  parse({ params }) {
    const imageId = getString(params, PARAM_IMAGE_ID);
    if (imageId === undefined) throw missingParameter(PARAM_IMAGE_ID);
    return { imageId: assertImageId(imageId) };
  },
  execute({ imageId }, ctx, services) {
    services.images.deregister(ctx, imageId);
    return { return: true };
  },
});
