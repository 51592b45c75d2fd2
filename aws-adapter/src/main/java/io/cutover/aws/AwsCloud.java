package io.cutover.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import io.cutover.spi.AddressProvider;
import io.cutover.spi.AlarmProvider;
import io.cutover.spi.BlueGreenProvider;
import io.cutover.spi.CloudProvider;
import io.cutover.spi.CommandProvider;
import io.cutover.spi.DatabaseProvider;
import io.cutover.spi.DnsProvider;
import io.cutover.spi.HttpProbe;
import io.cutover.spi.LoadBalancerProvider;
import io.cutover.spi.NotificationProvider;
import io.cutover.spi.ReplicaProvider;
import io.cutover.spi.StackProvider;
import io.cutover.spi.VolumeProvider;
import java.util.Optional;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The Cutover provider SPI on AWS, over SDK clients you pass in.
 *
 * <pre>{@code
 * AwsClients clients = AwsClients.builder().region("eu-west-1").build();
 * CloudProvider aws = AwsCloud.of(clients);
 * RateBudget budget = RateBudget.ofAws();                      // one per account and region
 * Engine engine = Engine.builder().cloud(aws).rateBudget(budget).stateStore(store).build();
 * }</pre>
 *
 * Every call is made once and its failure classified by {@link AwsFailures}. Pacing and retries are the
 * engine's, one path for every caller: its {@code RateBudget} (share one per account and region) reserves a
 * step's calls before the step makes them, and its {@code RetryPolicy} repeats a throttled or transient call;
 * nothing here waits, for a permit or for an operation to finish (no SDK waiters): the engine polls the
 * describe calls. Thread-safe. Closing the clients is the
 * caller's business.
 *
 * <p>A cloud may lack clients it will not need (a plan without DNS needs no Route 53 client); asking it for that
 * provider then fails with an {@link IllegalStateException} that names the missing client.
 */
public final class AwsCloud implements CloudProvider {
    private final Optional<StackProvider> stacks;
    private final Optional<DatabaseProvider> databases;
    private final Optional<VolumeProvider> volumes;
    private final Optional<AddressProvider> addresses;
    private final Optional<DnsProvider> dns;
    private final Optional<LoadBalancerProvider> loadBalancers;
    private final Optional<BlueGreenProvider> blueGreen;
    private final Optional<ReplicaProvider> replicas;
    private final Optional<CommandProvider> commands;
    private final HttpProbe http;
    private final Optional<io.cutover.spi.AccessProvider> access;
    private final NotificationProvider notifications;
    private final Optional<AlarmProvider> alarms;

    private AwsCloud(Builder b) {
        this.access = b.access;
        AwsCalls calls = new AwsCalls();
        this.stacks = b.cloudFormation.map(c -> new CfnStacks(c, calls));
        this.databases = b.rds.map(c -> new RdsDatabases(c, calls));
        this.volumes = b.ec2.map(c -> new Ec2Volumes(c, calls));
        this.addresses = b.ec2.map(c -> new Ec2Addresses(c, calls));
        this.dns = b.route53.map(c -> new Route53Dns(c, calls));
        this.loadBalancers = b.elb.map(c -> new ElbListeners(c, calls));
        this.blueGreen = b.rds.map(c -> new RdsBlueGreen(c, calls));
        this.replicas = b.rds.map(c -> new RdsReplicas(c, b.cloudWatch, calls));
        this.commands = b.ssm.map(c -> new SsmCommands(c, b.ec2, calls));
        this.http = b.http;
        this.notifications = new SnsNotifications(b.sns, JdkWebhook.ofDefaults());
        this.alarms = b.cloudWatch.map(CloudWatchAlarms::new);
    }

    /** IAM's simulation of the caller's permissions, when the builder was given {@link Builder#access}. */
    @Override
    public Optional<io.cutover.spi.AccessProvider> access() {
        return access;
    }

    /** All four services from {@code clients}, health checks by {@link JdkHttpProbe#ofDefaults()}. */
    public static AwsCloud of(AwsClients clients) {
        return builder().clients(clients).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public StackProvider stacks() {
        return require(stacks, "CloudFormationClient", "cloudFormation");
    }

    @Override
    public DatabaseProvider databases() {
        return require(databases, "RdsClient", "rds");
    }

    @Override
    public VolumeProvider volumes() {
        return require(volumes, "Ec2Client", "ec2");
    }

    /** SNS over the builder's {@code sns} client (a publish without one fails, naming it), webhooks over the JDK. */
    @Override
    public NotificationProvider notifications() {
        return notifications;
    }

    @Override
    public AlarmProvider alarms() {
        return require(alarms, "CloudWatchClient", "cloudWatch");
    }

    @Override
    public DnsProvider dns() {
        return require(dns, "Route53Client", "route53");
    }

    @Override
    public AddressProvider addresses() {
        return require(addresses, "Ec2Client", "ec2");
    }

    /** Needs an ELBv2 client: {@code AwsCloud.builder().elasticLoadBalancing(...)} (not one of the four). */
    @Override
    public LoadBalancerProvider loadBalancers() {
        return require(loadBalancers, "ElasticLoadBalancingV2Client", "elasticLoadBalancing");
    }

    @Override
    public BlueGreenProvider blueGreen() {
        return require(blueGreen, "RdsClient", "rds");
    }

    /**
     * Read replicas; needs an RDS client, and a CloudWatch client ({@link Builder#cloudWatch}) for their replica
     * lag, without which the read-replica steps wait for a lag they cannot read and fail before any promotion.
     */
    @Override
    public ReplicaProvider replicas() {
        return require(replicas, "RdsClient", "rds");
    }

    /** Run Command; needs {@link Builder#ssm} (and, for instances chosen by tags, an EC2 client). */
    @Override
    public CommandProvider commands() {
        return require(commands, "SsmClient", "ssm");
    }

    @Override
    public HttpProbe http() {
        return http;
    }

    private static <T> T require(Optional<T> provider, String client, String method) {
        return provider.orElseThrow(() -> new IllegalStateException("this AwsCloud has no " + client
                + "; pass one with AwsCloud.builder()." + method + "(...) or .clients(...)"));
    }

    /** Builds an {@link AwsCloud}. */
    public static final class Builder {
        private Optional<CloudFormationClient> cloudFormation = Optional.empty();
        private Optional<RdsClient> rds = Optional.empty();
        private Optional<Ec2Client> ec2 = Optional.empty();
        private Optional<Route53Client> route53 = Optional.empty();
        private Optional<ElasticLoadBalancingV2Client> elb = Optional.empty();
        private Optional<SsmClient> ssm = Optional.empty();
        private HttpProbe http;
        private Optional<io.cutover.spi.AccessProvider> access = Optional.empty();
        private Optional<SnsClient> sns = Optional.empty();
        private Optional<CloudWatchClient> cloudWatch = Optional.empty();

        private Builder() {}

        /**
         * Lets {@code cutover plan --check} simulate the caller's permissions with IAM
         * ({@code iam:SimulatePrincipalPolicy}, {@code sts:GetCallerIdentity}); the clients are built when the check
         * first asks, so a run that never checks builds neither.
         */
        public Builder access(
                java.util.function.Supplier<software.amazon.awssdk.services.iam.IamClient> iam,
                java.util.function.Supplier<software.amazon.awssdk.services.sts.StsClient> sts) {
            this.access = Optional.of(new IamAccess(memoized(iam), memoized(sts)));
            return this;
        }

        private static <T> java.util.function.Supplier<T> memoized(java.util.function.Supplier<T> s) {
            return com.google.common.base.Suppliers.memoize(s::get);
        }

        /** Sets all four clients. */
        public Builder clients(AwsClients clients) {
            return cloudFormation(clients.cloudFormation())
                    .rds(clients.rds())
                    .ec2(clients.ec2())
                    .route53(clients.route53());
        }

        public Builder cloudFormation(CloudFormationClient client) {
            this.cloudFormation = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        public Builder rds(RdsClient client) {
            this.rds = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        public Builder ec2(Ec2Client client) {
            this.ec2 = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        public Builder route53(Route53Client client) {
            this.route53 = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        /** For a plan that switches an application load balancer's listener ({@code switch-target-group}). */
        public Builder elasticLoadBalancing(ElasticLoadBalancingV2Client client) {
            this.elb = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        /** The SNS client for the plans' notification topics. */
        public Builder sns(SnsClient client) {
            this.sns = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        /** The CloudWatch client for alarm checks. */
        public Builder cloudWatch(CloudWatchClient client) {
            this.cloudWatch = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        /** Systems Manager, for run-command steps. */
        public Builder ssm(SsmClient client) {
            this.ssm = Optional.of(checkNotNull(client, "client"));
            return this;
        }

        /** The health-check probe; {@link JdkHttpProbe#ofDefaults()} unless given. */
        public Builder http(HttpProbe http) {
            this.http = checkNotNull(http, "http");
            return this;
        }

        public AwsCloud build() {
            if (http == null) {
                http = JdkHttpProbe.ofDefaults();
            }
            return new AwsCloud(this);
        }
    }
}
