package io.cutover.internal;

import io.cutover.plan.StepSpec;

/** The behaviour of each step kind. */
public final class Actions {
    private Actions() {}

    public static Action of(StepSpec spec) {
        if (spec instanceof StepSpec.Hook s) {
            return new HookAction(s);
        } else if (spec instanceof StepSpec.SnapshotDatabase s) {
            return new SnapshotDatabaseAction(s);
        } else if (spec instanceof StepSpec.SnapshotVolume s) {
            return new SnapshotVolumeAction(s);
        } else if (spec instanceof StepSpec.RestoreDatabase s) {
            return new RestoreDatabaseAction(s);
        } else if (spec instanceof StepSpec.CloneStack s) {
            return new CloneStackAction(s);
        } else if (spec instanceof StepSpec.UpdateStack s) {
            return new UpdateStackAction(s);
        } else if (spec instanceof StepSpec.Verify s) {
            return new VerifyAction(s);
        } else if (spec instanceof StepSpec.Approval s) {
            return new ApprovalAction(s);
        } else if (spec instanceof StepSpec.LowerTtl s) {
            return new LowerTtlAction(s);
        } else if (spec instanceof StepSpec.SwitchDns s) {
            return new SwitchDnsAction(s);
        } else if (spec instanceof StepSpec.MoveAddress s) {
            return new MoveAddressAction(s);
        } else if (spec instanceof StepSpec.Bake s) {
            return new BakeAction(s);
        } else if (spec instanceof StepSpec.Decommission s) {
            return new DecommissionAction(s);
        }
        throw new IllegalArgumentException(
                "no behaviour for step kind " + spec.getClass().getSimpleName());
    }
}
