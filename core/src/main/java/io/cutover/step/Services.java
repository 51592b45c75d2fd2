package io.cutover.step;

import io.cutover.spi.ApiService;

/**
 * The services whose calls a step counts ({@link StepBehaviour#calls}), by the names the engine's rate
 * budget keys its limits by.
 */
public final class Services {
    public static final String CLOUDFORMATION = ApiService.CLOUDFORMATION.id();
    public static final String RDS = ApiService.RDS.id();
    public static final String EC2_MUTATE = ApiService.EC2_MUTATE.id();
    public static final String EC2_DESCRIBE = ApiService.EC2_DESCRIBE.id();
    public static final String ROUTE53 = ApiService.ROUTE53.id();
    public static final String ELBV2 = ApiService.ELBV2.id();
    public static final String SSM = ApiService.SSM.id();

    private Services() {}
}
