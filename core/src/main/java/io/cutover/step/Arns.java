package io.cutover.step;

import com.google.common.base.Preconditions;

/**
 * The ARN patterns a step kind's {@link Grant grants} name, in the formats of the AWS Service Authorization
 * Reference, for one partition, region and account ({@code *} for a region or account not given: the plan
 * alone does not say which account it runs in).
 */
public record Arns(String partition, String region, String account) {
    public Arns {
        Preconditions.checkArgument(partition != null && !partition.isBlank(), "partition");
        region = region == null || region.isBlank() ? "*" : region;
        account = account == null || account.isBlank() ? "*" : account;
    }

    /** Any region and account of the {@code aws} partition. */
    public static Arns ofAny() {
        return new Arns("aws", "*", "*");
    }

    public static Arns of(String region, String account) {
        return new Arns("aws", region, account);
    }

    private String rds(String type, String name) {
        return "arn:" + partition + ":rds:" + region + ":" + account + ":" + type + ":" + name;
    }

    /** {@code arn:aws:rds:REGION:ACCOUNT:db:NAME}. */
    public String rdsInstance(String name) {
        return rds("db", name);
    }

    public String rdsCluster(String name) {
        return rds("cluster", name);
    }

    public String rdsSnapshot(String name) {
        return rds("snapshot", name);
    }

    public String rdsClusterSnapshot(String name) {
        return rds("cluster-snapshot", name);
    }

    /** Any RDS resource of {@code type} ({@code og}, {@code pg}, {@code cluster-pg}, {@code subgrp}, ...). */
    public String rdsAny(String type) {
        return rds(type, "*");
    }

    /** {@code arn:aws:ec2:REGION:ACCOUNT:TYPE/ID}; snapshots, which have no account in their ARN, excepted. */
    public String ec2(String type, String id) {
        return "arn:" + partition + ":ec2:" + region + ":" + ("snapshot".equals(type) ? "" : account) + ":" + type + "/"
                + id;
    }

    /** A stack by name: {@code arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/*} (the id is AWS's). */
    public String stack(String name) {
        return "arn:" + partition + ":cloudformation:" + region + ":" + account + ":stack/" + name + "/*";
    }

    /** A hosted zone by id ({@code Z...} or {@code /hostedzone/Z...}). */
    public String hostedZone(String zoneId) {
        String id = zoneId.substring(zoneId.lastIndexOf('/') + 1);
        return "arn:" + partition + ":route53:::hostedzone/" + id;
    }

    /** Any Route 53 change (their ids are AWS's). */
    public String route53Changes() {
        return "arn:" + partition + ":route53:::change/*";
    }

    /**
     * A secret by ARN (as given) or by name: Secrets Manager adds six random characters to a secret's name in its
     * ARN, hence {@code NAME-??????}.
     */
    public String secret(String idOrArn) {
        if (idOrArn.startsWith("arn:")) {
            return idOrArn;
        }
        return "arn:" + partition + ":secretsmanager:" + region + ":" + account + ":secret:" + idOrArn + "-??????";
    }
}
