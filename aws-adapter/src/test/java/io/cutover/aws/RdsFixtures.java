package io.cutover.aws;

import java.util.List;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.Tag;

/** What a cutover finds already there: a network for databases and the blue database, made with the raw SDK. */
final class RdsFixtures {
    record Network(String subnetGroup, String securityGroup, String parameterGroup, String clusterParameterGroup) {}

    private RdsFixtures() {}

    static Network network(AwsClients clients) {
        String vpc = clients.ec2().describeVpcs().vpcs().get(0).vpcId();
        List<String> subnets = clients
                .ec2()
                .describeSubnets(r -> r.filters(software.amazon.awssdk.services.ec2.model.Filter.builder()
                        .name("vpc-id")
                        .values(vpc)
                        .build()))
                .subnets()
                .stream()
                .map(Subnet::subnetId)
                .limit(2)
                .toList();
        String sg = clients.ec2()
                .createSecurityGroup(r -> r.groupName("db").description("db").vpcId(vpc))
                .groupId();
        clients.rds()
                .createDBSubnetGroup(r -> r.dbSubnetGroupName("db-subnets")
                        .dbSubnetGroupDescription("db")
                        .subnetIds(subnets));
        clients.rds()
                .createDBParameterGroup(r -> r.dbParameterGroupName("wiki-pg16")
                        .dbParameterGroupFamily("postgres16")
                        .description("wiki"));
        clients.rds()
                .createDBClusterParameterGroup(r -> r.dbClusterParameterGroupName("wiki-apg16")
                        .dbParameterGroupFamily("aurora-postgresql16")
                        .description("wiki"));
        return new Network("db-subnets", sg, "wiki-pg16", "wiki-apg16");
    }

    static void postgresInstance(RdsClient rds, Network network, String id) {
        rds.createDBInstance(r -> r.dbInstanceIdentifier(id)
                .dbInstanceClass("db.t3.micro")
                .engine("postgres")
                .masterUsername("wiki")
                .masterUserPassword("not-a-secret-1")
                .allocatedStorage(20)
                .maxAllocatedStorage(100)
                .storageEncrypted(true)
                .dbSubnetGroupName(network.subnetGroup())
                .vpcSecurityGroupIds(network.securityGroup())
                .dbParameterGroupName(network.parameterGroup())
                .tags(Tag.builder().key("app").value("wiki").build()));
    }

    /** An Aurora cluster with a writer and a reader. */
    static void auroraCluster(RdsClient rds, Network network, String id) {
        rds.createDBCluster(r -> r.dbClusterIdentifier(id)
                .engine("aurora-postgresql")
                .masterUsername("wiki")
                .masterUserPassword("not-a-secret-1")
                .storageEncrypted(true)
                .dbSubnetGroupName(network.subnetGroup())
                .vpcSecurityGroupIds(network.securityGroup())
                .dbClusterParameterGroupName(network.clusterParameterGroup())
                .tags(Tag.builder().key("app").value("wiki").build()));
        rds.createDBInstance(r -> r.dbInstanceIdentifier(id + "-writer")
                .dbClusterIdentifier(id)
                .dbInstanceClass("db.r6g.large")
                .engine("aurora-postgresql"));
        rds.createDBInstance(r -> r.dbInstanceIdentifier(id + "-reader")
                .dbClusterIdentifier(id)
                .dbInstanceClass("db.r6g.large")
                .engine("aurora-postgresql"));
    }
}
