package io.cutover.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The four SDK clients an {@link AwsCloud} uses. Pass your own (any endpoint, region, credentials, HTTP
 * client) with {@link #of}, or let {@link #builder()} build them from the SDK's default chain.
 *
 * <p>Clients built here make one attempt per call (the SDK's retries off): the engine is the one place that
 * repeats a throttled or transient call ({@code io.cutover.engine.RetryPolicy}), on its own clock and in
 * its rate budget's turn; SDK retries under it would multiply the attempts and sleep on the engine's
 * threads. Clients you build yourself keep whatever retry strategy you gave them.
 *
 * <p>Closing an {@code AwsClients} closes its clients; close only what you own.
 */
public record AwsClients(CloudFormationClient cloudFormation, RdsClient rds, Ec2Client ec2, Route53Client route53)
        implements AutoCloseable {
    public AwsClients {
        checkNotNull(cloudFormation, "cloudFormation");
        checkNotNull(rds, "rds");
        checkNotNull(ec2, "ec2");
        checkNotNull(route53, "route53");
    }

    public static AwsClients of(
            CloudFormationClient cloudFormation, RdsClient rds, Ec2Client ec2, Route53Client route53) {
        return new AwsClients(cloudFormation, rds, ec2, route53);
    }

    /**
     * Clients from the default chain: region from {@code AWS_REGION} or the profile, credentials from the
     * environment, profile, SSO or instance role, endpoint from {@code AWS_ENDPOINT_URL} (and the per-service
     * {@code AWS_ENDPOINT_URL_<SERVICE>}) when set, which is how the integration tests reach moto.
     */
    public static AwsClients fromDefaultChain() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void close() {
        cloudFormation.close();
        rds.close();
        ec2.close();
        route53.close();
    }

    /** Builds the four clients with one region, profile, endpoint and credentials. */
    public static final class Builder {
        private Optional<Region> region = Optional.empty();
        private Optional<String> profile = Optional.empty();
        private Optional<URI> endpointOverride = Optional.empty();
        private Optional<AwsCredentialsProvider> credentials = Optional.empty();

        private Builder() {}

        /** The region; without one the SDK reads {@code AWS_REGION}, {@code aws.region} or the profile. */
        public Builder region(Region region) {
            this.region = Optional.of(region);
            return this;
        }

        public Builder region(String region) {
            return region(Region.of(region));
        }

        /** A named profile of {@code ~/.aws/config} for credentials and region, instead of {@code AWS_PROFILE}. */
        public Builder profile(String profile) {
            checkArgument(!profile.isBlank(), "profile must not be blank");
            this.profile = Optional.of(profile);
            return this;
        }

        /**
         * One endpoint for all four services, e.g. {@code http://localhost:4566} for LocalStack. Without it the
         * SDK honours {@code AWS_ENDPOINT_URL}, else it calls AWS.
         */
        public Builder endpointOverride(URI endpoint) {
            this.endpointOverride = Optional.of(endpoint);
            return this;
        }

        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = Optional.of(credentials);
            return this;
        }

        public AwsClients build() {
            return new AwsClients(
                    configure(CloudFormationClient.builder()).build(),
                    configure(RdsClient.builder()).build(),
                    configure(Ec2Client.builder()).build(),
                    configure(Route53Client.builder()).build());
        }

        /**
         * A Systems Manager client with the same region, profile, endpoint and credentials, for run-command steps
         * ({@code AwsCloud.builder().clients(clients).ssm(builder.ssm())}); the caller closes it.
         */
        public software.amazon.awssdk.services.ssm.SsmClient ssm() {
            return configure(software.amazon.awssdk.services.ssm.SsmClient.builder())
                    .build();
        }

        /**
         * An ELBv2 client with the same region, profile, endpoint and credentials, for {@code
         * AwsCloud.builder().elasticLoadBalancing(...)} when a plan switches a load balancer's listener; the caller
         * closes it.
         */
        public software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client
                buildElasticLoadBalancing() {
            return configure(
                            software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client
                                    .builder())
                    .build();
        }

        /**
         * Gives another service's client builder these settings (region, profile, endpoint, credentials, one attempt
         * per call), e.g. {@code b.configure(SnsClient.builder()).build()} for {@code AwsCloud.builder().sns(...)}.
         */
        public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
            ClientOverrideConfiguration.Builder override =
                    ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry());
            profile.ifPresent(override::defaultProfileName);
            builder.overrideConfiguration(override.build());
            region.ifPresent(builder::region);
            endpointOverride.ifPresent(builder::endpointOverride);
            if (credentials.isPresent()) {
                builder.credentialsProvider(credentials.get());
            } else if (profile.isPresent()) {
                builder.credentialsProvider(DefaultCredentialsProvider.builder()
                        .profileName(profile.get())
                        .build());
            }
            return builder;
        }
    }
}
