package io.cutover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cutover.spi.FailureKind;
import io.cutover.spi.ProviderException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The part of a CloudFormation template (JSON) that the simulated cloud understands: parameters with
 * defaults, resources with their properties, and outputs, with {@code Ref}, {@code Fn::GetAtt} and
 * {@code Fn::Join}. Templates that use more still deploy; the extra parts are ignored.
 */
final class SimTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String body;
    final Map<String, Optional<String>> parameters = new LinkedHashMap<>();
    /** Parameters declared NoEcho: a stack's description shows them as {@code ****}, as CloudFormation does. */
    final java.util.Set<String> noEcho = new java.util.TreeSet<>();

    final Map<String, Resource> resources = new LinkedHashMap<>();
    final Map<String, JsonNode> outputs = new LinkedHashMap<>();
    final Map<String, JsonNode> conditions = new LinkedHashMap<>();

    record Resource(String logicalId, String type, JsonNode properties, String deletionPolicy) {}

    private SimTemplate(String body) {
        this.body = body;
    }

    static SimTemplate parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    "ValidateTemplate",
                    "Template format error: not valid JSON (" + e.getMessage().split("\n")[0] + ")");
        }
        if (root == null
                || !root.isObject()
                || !root.has("Resources")
                || !root.get("Resources").isObject()
                || root.get("Resources").size() == 0) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST,
                    "ValidateTemplate",
                    "Template format error: At least one Resources member must be defined.");
        }
        SimTemplate t = new SimTemplate(body);
        JsonNode params = root.path("Parameters");
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode d = e.getValue().get("Default");
            t.parameters.put(e.getKey(), d == null ? Optional.empty() : Optional.of(d.asText()));
            if (e.getValue().path("NoEcho").asBoolean(false)
                    || e.getValue().path("NoEcho").asText().equalsIgnoreCase("true")) {
                t.noEcho.add(e.getKey());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("Resources").fields(); it.hasNext(); ) {
            var e = it.next();
            JsonNode type = e.getValue().get("Type");
            if (type == null) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST,
                        "ValidateTemplate",
                        "Template format error: resource " + e.getKey() + " has no Type");
            }
            t.resources.put(
                    e.getKey(),
                    new Resource(
                            e.getKey(),
                            type.asText(),
                            e.getValue().path("Properties"),
                            e.getValue().path("DeletionPolicy").asText("Delete")));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Conditions").fields(); it.hasNext(); ) {
            var e = it.next();
            t.conditions.put(e.getKey(), e.getValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Outputs").fields(); it.hasNext(); ) {
            var e = it.next();
            t.outputs.put(e.getKey(), e.getValue().get("Value"));
        }
        return t;
    }

    /** The parameter values a stack gets: given values, then defaults; a missing required one is an error. */
    Map<String, String> bind(Map<String, String> given, String operation) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (var p : parameters.entrySet()) {
            String v = given.get(p.getKey());
            if (v == null) {
                v = p.getValue().orElse(null);
            }
            if (v == null) {
                missing.add(p.getKey());
            } else {
                out.put(p.getKey(), v);
            }
        }
        for (String k : given.keySet()) {
            if (!parameters.containsKey(k)) {
                throw ProviderException.of(
                        FailureKind.INVALID_REQUEST, operation, "Parameters: [" + k + "] do not exist in the template");
            }
        }
        if (!missing.isEmpty()) {
            throw ProviderException.of(
                    FailureKind.INVALID_REQUEST, operation, "Parameters: " + missing + " must have values");
        }
        return out;
    }

    /**
     * Evaluates a property or output value: literals, Ref (parameters, resources, AWS::StackName,
     * AWS::Region, AWS::NoValue), Fn::GetAtt, Fn::Join, Fn::If on the template's conditions (Fn::Equals,
     * Fn::Not, Fn::And, Fn::Or, Condition).
     */
    String evaluate(
            JsonNode v,
            Map<String, String> params,
            Map<String, String> physical,
            BiFunction<String, String, String> getAtt,
            String stackName) {
        if (v != null && v.has("Fn::If")) {
            JsonNode a = v.get("Fn::If");
            boolean c = condition(conditions.get(a.get(0).asText()), params);
            return evaluate(a.get(c ? 1 : 2), params, physical, getAtt, stackName);
        }
        if (v != null && v.has("Fn::Join")) {
            JsonNode a = v.get("Fn::Join");
            List<String> parts = new ArrayList<>();
            a.get(1).forEach(p -> parts.add(evaluate(p, params, physical, getAtt, stackName)));
            return String.join(a.get(0).asText(), parts);
        }
        return eval(v, params, physical, getAtt, stackName);
    }

    boolean condition(JsonNode c, Map<String, String> params) {
        if (c == null) {
            return false;
        }
        if (c.has("Fn::Equals")) {
            JsonNode a = c.get("Fn::Equals");
            return evaluate(a.get(0), params, Map.of(), (x, y) -> "", "")
                    .equals(evaluate(a.get(1), params, Map.of(), (x, y) -> "", ""));
        }
        if (c.has("Fn::Not")) {
            return !condition(c.get("Fn::Not").get(0), params);
        }
        if (c.has("Fn::And")) {
            boolean all = true;
            for (JsonNode x : c.get("Fn::And")) {
                all &= condition(x, params);
            }
            return all;
        }
        if (c.has("Fn::Or")) {
            boolean any = false;
            for (JsonNode x : c.get("Fn::Or")) {
                any |= condition(x, params);
            }
            return any;
        }
        if (c.has("Condition")) {
            return condition(conditions.get(c.get("Condition").asText()), params);
        }
        return false;
    }

    /** Evaluates without conditions: literals, Ref, Fn::GetAtt, Fn::Join. */
    static String eval(
            JsonNode v,
            Map<String, String> params,
            Map<String, String> physical,
            BiFunction<String, String, String> getAtt,
            String stackName) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        if (v.has("Ref")) {
            String r = v.get("Ref").asText();
            if (r.equals("AWS::NoValue")) {
                return "";
            }
            if (r.equals("AWS::StackName")) {
                return stackName;
            }
            if (r.equals("AWS::Region")) {
                return "us-east-1";
            }
            if (params.containsKey(r)) {
                return params.get(r);
            }
            return physical.getOrDefault(r, r);
        }
        if (v.has("Fn::GetAtt")) {
            JsonNode a = v.get("Fn::GetAtt");
            String res = a.isArray() ? a.get(0).asText() : a.asText().split("\\.", 2)[0];
            String attr = a.isArray() ? a.get(1).asText() : a.asText().split("\\.", 2)[1];
            return getAtt.apply(res, attr);
        }
        if (v.has("Fn::Join")) {
            JsonNode a = v.get("Fn::Join");
            List<String> parts = new ArrayList<>();
            a.get(1).forEach(p -> parts.add(eval(p, params, physical, getAtt, stackName)));
            return String.join(a.get(0).asText(), parts);
        }
        return v.toString();
    }
}
