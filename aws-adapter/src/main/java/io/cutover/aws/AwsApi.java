package io.cutover.aws;

/**
 * The rate-limit buckets of the AWS APIs the adapter calls. AWS throttles per account and region, per API
 * family, so adapters that share an account must share these buckets (see {@link AwsRateBudget}).
 */
public enum AwsApi {
    /** CloudFormation, all actions. */
    CLOUDFORMATION("cloudformation"),
    /** RDS, all actions. */
    RDS("rds"),
    /** EC2 actions that change something (create, delete, associate). */
    EC2_MUTATING("ec2"),
    /** EC2 Describe* actions, which AWS throttles in a separate, larger bucket. */
    EC2_DESCRIBE("ec2"),
    /** Route 53, all actions (AWS allows 5 requests per second per account). */
    ROUTE53("route53");

    private final String iamPrefix;

    AwsApi(String iamPrefix) {
        this.iamPrefix = iamPrefix;
    }

    /** The service prefix of this API's IAM actions, e.g. {@code rds}. */
    public String iamPrefix() {
        return iamPrefix;
    }
}
