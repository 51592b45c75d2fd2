package io.cutover.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.cutover.plan.StepSpec.TemplateRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rights CloudFormation needs to create, update and delete a template's resources: with no service role it
 * acts with the caller's rights, so the caller's policy holds them (bounded by {@code aws:CalledVia} to calls
 * CloudFormation makes); with a role, the role's policy does.
 */
public final class TemplateRights {
    private TemplateRights() {}

    /** The actions per resource type, as the Service Authorization Reference names them. */
    static final Map<String, List<String>> BY_TYPE = Map.ofEntries(
            Map.entry(
                    "AWS::RDS::DBInstance",
                    List.of(
                            "rds:CreateDBInstance",
                            "rds:RestoreDBInstanceFromDBSnapshot",
                            "rds:ModifyDBInstance",
                            "rds:DeleteDBInstance",
                            "rds:CreateDBSnapshot",
                            "rds:AddTagsToResource",
                            "rds:RemoveTagsFromResource",
                            "rds:DescribeDBInstances")),
            Map.entry(
                    "AWS::RDS::DBCluster",
                    List.of(
                            "rds:CreateDBCluster",
                            "rds:RestoreDBClusterFromSnapshot",
                            "rds:ModifyDBCluster",
                            "rds:DeleteDBCluster",
                            "rds:CreateDBClusterSnapshot",
                            "rds:AddTagsToResource",
                            "rds:RemoveTagsFromResource",
                            "rds:DescribeDBClusters")),
            Map.entry(
                    "AWS::EC2::Volume",
                    List.of(
                            "ec2:CreateVolume",
                            "ec2:ModifyVolume",
                            "ec2:DeleteVolume",
                            "ec2:CreateSnapshot",
                            "ec2:CreateTags",
                            "ec2:DeleteTags",
                            "ec2:DescribeVolumes")),
            Map.entry(
                    "AWS::EC2::VolumeAttachment",
                    List.of("ec2:AttachVolume", "ec2:DetachVolume", "ec2:DescribeVolumes")),
            Map.entry(
                    "AWS::EC2::Instance",
                    List.of(
                            "ec2:RunInstances",
                            "ec2:TerminateInstances",
                            "ec2:StopInstances",
                            "ec2:StartInstances",
                            "ec2:ModifyInstanceAttribute",
                            "ec2:AttachVolume",
                            "ec2:DetachVolume",
                            "ec2:CreateTags",
                            "ec2:DeleteTags",
                            "ec2:DescribeInstances")),
            Map.entry(
                    "AWS::EC2::SecurityGroup",
                    List.of(
                            "ec2:CreateSecurityGroup",
                            "ec2:DeleteSecurityGroup",
                            "ec2:AuthorizeSecurityGroupIngress",
                            "ec2:AuthorizeSecurityGroupEgress",
                            "ec2:RevokeSecurityGroupIngress",
                            "ec2:RevokeSecurityGroupEgress",
                            "ec2:CreateTags",
                            "ec2:DescribeSecurityGroups")),
            Map.entry(
                    "AWS::EC2::EIP",
                    List.of("ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:CreateTags", "ec2:DescribeAddresses")),
            Map.entry(
                    "AWS::EC2::EIPAssociation",
                    List.of("ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:DescribeAddresses")),
            Map.entry(
                    "AWS::IAM::Role",
                    List.of(
                            "iam:CreateRole",
                            "iam:DeleteRole",
                            "iam:GetRole",
                            "iam:PutRolePolicy",
                            "iam:DeleteRolePolicy",
                            "iam:AttachRolePolicy",
                            "iam:DetachRolePolicy",
                            "iam:TagRole",
                            "iam:PassRole")),
            Map.entry(
                    "AWS::IAM::InstanceProfile",
                    List.of(
                            "iam:CreateInstanceProfile",
                            "iam:DeleteInstanceProfile",
                            "iam:AddRoleToInstanceProfile",
                            "iam:RemoveRoleFromInstanceProfile",
                            "iam:GetInstanceProfile")));

    /** What a template declares: its resource types, or why they are not known before the run. */
    public record Types(TreeSet<String> known, TreeSet<String> unknown, Optional<String> unreadable) {}

    /** The resource types of a template given inline (JSON or YAML); a URL's types are not known offline. */
    public static Types of(List<TemplateRef> templates) {
        TreeSet<String> known = new TreeSet<>();
        TreeSet<String> unknown = new TreeSet<>();
        List<String> unreadable = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (TemplateRef t : templates) {
            if (t.body().isEmpty()) {
                unreadable.add(t.url().orElse("a template") + " (by URL: its resource types are read only by"
                        + " `cutover plan --check`)");
                continue;
            }
            try {
                JsonNode resources = yaml.readTree(t.body().get()).path("Resources");
                for (Iterator<JsonNode> it = resources.elements(); it.hasNext(); ) {
                    String type = it.next().path("Type").asText("");
                    (BY_TYPE.containsKey(type) ? known : unknown).add(type);
                }
            } catch (Exception e) {
                unreadable.add("an inline template that is neither JSON nor YAML");
            }
        }
        return new Types(
                known, unknown, unreadable.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", unreadable)));
    }

    /** The actions for {@code types}, by service prefix, sorted. */
    public static Map<String, TreeSet<String>> actions(Iterable<String> types) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (String type : types) {
            for (String a : BY_TYPE.getOrDefault(type, List.of())) {
                out.computeIfAbsent(a.substring(0, a.indexOf(':')), k -> new TreeSet<>())
                        .add(a);
            }
        }
        return out;
    }

    /** The resources of a service's template rights: that service's resources in the region and account. */
    public static List<String> serviceResources(Arns arns, String service) {
        String p = "arn:" + arns.partition() + ":";
        return switch (service) {
            case "iam" -> List.of(p + "iam::" + arns.account() + ":*");
            // EC2 snapshots have no account in their ARN.
            case "ec2" ->
                List.of(
                        p + "ec2:" + arns.region() + ":" + arns.account() + ":*",
                        p + "ec2:" + arns.region() + "::snapshot/*");
            default -> List.of(p + service + ":" + arns.region() + ":" + arns.account() + ":*");
        };
    }

    /**
     * Grants for CloudFormation acting with the caller's rights: each service's actions on its resources, only
     * when called through CloudFormation ({@code aws:CalledVia}).
     */
    public static List<Grant> viaCloudFormation(Iterable<String> types, Arns arns) {
        List<Grant> out = new ArrayList<>();
        actions(types)
                .forEach((service, actions) -> out.add(Grant.write(
                        List.copyOf(actions),
                        serviceResources(arns, service),
                        new Grant.Condition(
                                "ForAnyValue:StringEquals",
                                "aws:CalledVia",
                                List.of("cloudformation.amazonaws.com")))));
        return out;
    }
}
