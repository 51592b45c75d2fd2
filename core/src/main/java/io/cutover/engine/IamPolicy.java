package io.cutover.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cutover.CutoverException;
import io.cutover.plan.Plan;
import io.cutover.plan.StepSpec;
import io.cutover.state.StateCodec;
import io.cutover.step.Arns;
import io.cutover.step.Grant;
import io.cutover.step.kinds.StepKinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The IAM policy a plan's cutover needs: reads (on every resource, since describing is harmless and many describe
 * calls support no resource scoping) apart from the actions that change something, each of those scoped to the
 * ARNs the plan determines or to this cutover's tags; {@code secretsmanager:GetSecretValue} on the secrets the
 * plan reads; {@code sns:Publish} on the plan's notification topic; {@code cloudwatch:DescribeAlarms} for alarm checks; with a CloudFormation service role, {@code iam:PassRole} on it and the role's own policy; without
 * one, the rights CloudFormation uses on the caller's behalf for the template's resource types, only through
 * CloudFormation. {@code notes} say what the plan alone cannot determine.
 */
public record IamPolicy(
        String planId, List<Grant> grants, List<Grant> roleGrants, Optional<String> roleArn, List<String> notes) {
    public IamPolicy {
        grants = List.copyOf(grants);
        roleGrants = List.copyOf(roleGrants);
        notes = List.copyOf(notes);
    }

    /**
     * What the preflight reads before a cutover starts: the stacks and templates always, then only the kinds of
     * thing the environment names (databases, volumes, an address, DNS); a step's own reads are in its grants.
     */
    static List<String> preflightReads(Plan plan) {
        var env = plan.environment();
        List<String> out = new ArrayList<>(List.of("cloudformation:DescribeStacks", "cloudformation:ValidateTemplate"));
        if (env.databases().stream().anyMatch(d -> d.kind() == io.cutover.plan.Environment.Database.Kind.INSTANCE)) {
            out.add("rds:DescribeDBInstances");
        }
        if (env.databases().stream().anyMatch(d -> d.kind() == io.cutover.plan.Environment.Database.Kind.CLUSTER)) {
            out.add("rds:DescribeDBClusters");
        }
        if (!env.volumes().isEmpty()) {
            out.add("ec2:DescribeVolumes");
        }
        if (env.address().isPresent()) {
            out.add("ec2:DescribeAddresses");
        }
        if (env.dns().isPresent()) {
            // the record's read proves the zone too (NoSuchHostedZone): no route53:GetHostedZone
            out.add("route53:ListResourceRecordSets");
        }
        return out;
    }

    private static final Pattern SECRET = Pattern.compile("\\$\\{secret:([^}#]+)(#[^}]*)?}");

    /** The policy of {@code plan}, for any region and account. */
    public static IamPolicy of(Plan plan) {
        return of(plan, StepKinds.builtIn(), Arns.ofAny());
    }

    public static IamPolicy of(Plan plan, StepKinds kinds, Arns arns) {
        List<Grant> grants = new ArrayList<>();
        grants.add(Grant.read(preflightReads(plan), List.of("*")));
        for (StepSpec s : plan.inOrder()) {
            grants.addAll(kinds.of(s).grants(s, plan, arns));
        }
        TreeSet<String> secrets = secrets(plan);
        if (!secrets.isEmpty()) {
            grants.add(new Grant(
                    Grant.Access.READ,
                    List.of("secretsmanager:GetSecretValue"),
                    secrets.stream().map(arns::secret).toList(),
                    List.of()));
        }
        if (plan.steps().stream()
                .flatMap(s -> io.cutover.plan.PlanValidator.checksOf(kinds, s).stream())
                .anyMatch(c -> c instanceof StepSpec.Check.Alarm)) {
            // DescribeAlarms is scoped to alarms by name only when every name is known; describing is harmless.
            grants.add(Grant.read(List.of("cloudwatch:DescribeAlarms"), List.of("*")));
        }
        plan.notifications()
                .snsTopic()
                .ifPresent(topic -> grants.add(Grant.write(List.of("sns:Publish"), List.of(topic))));
        List<String> notes = new ArrayList<>();
        List<StepSpec.TemplateRef> templates = new ArrayList<>();
        for (StepSpec s : plan.steps()) {
            kinds.of(s).templates(s, plan.environment()).values().forEach(t -> t.ifPresent(templates::add));
        }
        var types = io.cutover.step.TemplateRights.of(templates);
        types.unreadable().ifPresent(u -> notes.add("resource types not known for " + u));
        if (!types.unknown().isEmpty()) {
            notes.add("Cutover knows no rights for the template's resource types " + types.unknown()
                    + "; add the actions CloudFormation needs for them");
        }
        boolean deletesBlue =
                plan.steps().stream().anyMatch(s -> kinds.rulesOf(s).flags(s).pointOfNoReturn());
        if (deletesBlue && !types.known().isEmpty()) {
            notes.add("deleting blue's stack uses the rights for the resource types of the plan's templates "
                    + types.known() + "; if blue's template has others, add them");
        }
        List<Grant> roleGrants = new ArrayList<>();
        Optional<String> role = plan.environment().roleArn();
        if (role.isPresent()) {
            grants.add(Grant.write(
                    List.of("iam:PassRole"),
                    List.of(role.get()),
                    Grant.Condition.equals("iam:PassedToService", "cloudformation.amazonaws.com")));
            io.cutover.step.TemplateRights.actions(types.known())
                    .forEach((service, actions) -> roleGrants.add(Grant.write(
                            List.copyOf(actions), io.cutover.step.TemplateRights.serviceResources(arns, service))));
        } else {
            grants.addAll(io.cutover.step.TemplateRights.viaCloudFormation(types.known(), arns));
        }
        return new IamPolicy(plan.id(), merge(grants), merge(roleGrants), role, notes);
    }

    /** The secrets the plan's text fields read ({@code ${secret:ID}} and {@code ${secret:ID#key}}). */
    static TreeSet<String> secrets(Plan plan) {
        String json;
        try {
            json = StateCodec.mapper().writeValueAsString(plan);
        } catch (Exception e) {
            throw new CutoverException("cannot read plan " + plan.id() + " for its secrets: " + e.getMessage(), e);
        }
        TreeSet<String> out = new TreeSet<>();
        Matcher m = SECRET.matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Grants with the same access, resources and conditions as one statement. */
    static List<Grant> merge(List<Grant> grants) {
        Map<List<Object>, TreeSet<String>> byScope = new LinkedHashMap<>();
        Map<List<Object>, Grant> first = new LinkedHashMap<>();
        for (Grant g : grants) {
            List<Object> key = List.of(g.access(), new TreeSet<>(g.resources()), g.conditions());
            byScope.computeIfAbsent(key, k -> new TreeSet<>()).addAll(g.actions());
            first.putIfAbsent(key, g);
        }
        List<Grant> out = new ArrayList<>();
        byScope.forEach((key, actions) -> {
            Grant g = first.get(key);
            out.add(new Grant(
                    g.access(), List.copyOf(actions), List.copyOf(new TreeSet<>(g.resources())), g.conditions()));
        });
        // Reads first, then the rest in the plan's order.
        out.sort((a, b) -> a.access() == b.access() ? 0 : a.access() == Grant.Access.READ ? -1 : 1);
        return out;
    }

    /** Every action of the policy. */
    public TreeSet<String> actions() {
        TreeSet<String> out = new TreeSet<>();
        grants.forEach(g -> out.addAll(g.actions()));
        return out;
    }

    /** The operator's policy, as JSON. */
    public String toJson() {
        return json(grants, "Cutover" + planId.replaceAll("[^A-Za-z0-9]", ""));
    }

    /** The service role's policy (empty when the plan names no role), as JSON. */
    public Optional<String> roleJson() {
        return roleArn.map(r -> json(roleGrants, "CutoverStackRole" + planId.replaceAll("[^A-Za-z0-9]", "")));
    }

    /** A policy document of {@code grants}. */
    public static String json(List<Grant> grants, String sidPrefix) {
        ObjectMapper mapper = StateCodec.mapper();
        ObjectNode policy = mapper.createObjectNode();
        policy.put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        int n = 1;
        for (Grant g : grants) {
            ObjectNode st = statements.addObject();
            st.put("Sid", sidPrefix + (g.access() == Grant.Access.READ ? "Read" : "Write") + n++);
            st.put("Effect", "Allow");
            ArrayNode a = st.putArray("Action");
            g.actions().forEach(a::add);
            if (g.resources().size() == 1) {
                st.put("Resource", g.resources().get(0));
            } else {
                ArrayNode r = st.putArray("Resource");
                g.resources().forEach(r::add);
            }
            if (!g.conditions().isEmpty()) {
                ObjectNode cond = st.putObject("Condition");
                for (Grant.Condition c : g.conditions()) {
                    ObjectNode op =
                            cond.has(c.operator()) ? (ObjectNode) cond.get(c.operator()) : cond.putObject(c.operator());
                    if (c.values().size() == 1) {
                        op.put(c.key(), c.values().get(0));
                    } else {
                        ArrayNode v = op.putArray(c.key());
                        c.values().forEach(v::add);
                    }
                }
            }
        }
        try {
            return mapper.writeValueAsString(policy);
        } catch (Exception e) {
            throw new CutoverException("cannot write the IAM policy: " + e.getMessage(), e);
        }
    }
}
