package io.cutover.spi;

import java.util.Arrays;
import java.util.Optional;

/**
 * The API families a cloud throttles separately, as AWS does per account and region. Every part of Cutover
 * that counts, paces or throttles calls names them by these values: the engine's {@code RateBudget}, the
 * steps' call estimates, the AWS adapter (which also takes the IAM prefix from here) and the simulated
 * cloud's rate limits.
 *
 * <p>{@link #awsLimit()} is the one place that holds AWS's figures: Route 53 5 requests a second (Route 53
 * quotas); RDS 300 burst, 12 a second (RDS API throttling); EC2 mutating calls 50 burst, 5 a second, and
 * describe calls 100 burst, 20 a second (EC2 API request throttling); ELBv2 40 burst, 10 a second (the
 * figures ELB's request throttling page gives for its non-mutating actions, taken for the few changes a cutover
 * makes too); CloudFormation, which publishes none, a guess of 20 burst, 4 a second.
 */
public enum ApiService {
    /** CloudFormation, all actions. */
    CLOUDFORMATION("cloudformation", "cloudformation", RateLimit.of(20, 4)),
    /** RDS, all actions. */
    RDS("rds", "rds", RateLimit.of(300, 12)),
    /** EC2 actions that change something (create, delete, associate). */
    EC2_MUTATE("ec2.mutate", "ec2", RateLimit.of(50, 5)),
    /** EC2 Describe* actions, which AWS throttles in a separate, larger bucket. */
    EC2_DESCRIBE("ec2.describe", "ec2", RateLimit.of(100, 20)),
    /** Route 53, all actions. */
    ROUTE53("route53", "route53", RateLimit.of(5, 5)),
    /** Elastic Load Balancing v2 (application load balancers), all actions. */
    ELBV2("elbv2", "elasticloadbalancing", RateLimit.of(40, 10)),
    /** Systems Manager (Run Command), all actions; AWS publishes no figure for these: a guess of 20 burst, 5 a second. */
    SSM("ssm", "ssm", RateLimit.of(20, 5));

    private final String id;
    private final String iamPrefix;
    private final RateLimit awsLimit;

    ApiService(String id, String iamPrefix, RateLimit awsLimit) {
        this.id = id;
        this.iamPrefix = iamPrefix;
        this.awsLimit = awsLimit;
    }

    /** The name calls are counted under, e.g. {@code ec2.describe}. */
    public String id() {
        return id;
    }

    /** The service prefix of its IAM actions, e.g. {@code rds}. */
    public String iamPrefix() {
        return iamPrefix;
    }

    /** AWS's limit for one account and region (see the class comment for the sources). */
    public RateLimit awsLimit() {
        return awsLimit;
    }

    /** The service counted under {@code id}, if any. */
    public static Optional<ApiService> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
