package io.cutover.step;

/**
 * The services whose calls a step counts ({@link StepBehaviour#calls}), by the names the engine's rate
 * budget keys its limits by.
 */
public final class Services {
    public static final String CLOUDFORMATION = "cloudformation";
    public static final String RDS = "rds";
    public static final String EC2_MUTATE = "ec2.mutate";
    public static final String EC2_DESCRIBE = "ec2.describe";
    public static final String ROUTE53 = "route53";

    private Services() {}
}
