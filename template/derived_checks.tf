# Canary steps derived from a service's OpenAPI document by `cw-scaffold canary derive`,
# which writes them to derived_checks.auto.tfvars.json; yours to edit (see the README,
# "Checks from an OpenAPI document"). They run after the health step and before the
# service's own `checks` in services.auto.tfvars. A template update never touches that
# file; `canary derive` again replaces one service's derived steps.
variable "derived_checks" {
  description = "Per service: the OpenAPI document its canary steps were derived from, and the steps (the fields of service_settings checks)."
  type = map(object({
    openapi = string # the document, as given to `cw-scaffold canary derive`
    checks = list(object({
      name               = string
      path               = string
      method             = optional(string, "GET")
      headers            = optional(map(string), {})
      body               = optional(string)
      expected_status    = optional(string, "200")
      max_latency_ms     = optional(number, 2000)
      required_json_keys = optional(list(string), [])
      json_equals        = optional(map(string), {})
      body_contains      = optional(string)
      required_headers   = optional(list(string), [])
      header_matches     = optional(map(string), {})
      json_types         = optional(map(string), {})
      json_bounds        = optional(map(object({ min = optional(number), max = optional(number) })), {})
      json_non_empty     = optional(list(string), [])
      capture            = optional(map(string), {})
    }))
  }))
  default = {}

  validation {
    # The rule of service_settings' expected_status (variables.tf).
    condition = alltrue(flatten([for service in values(var.derived_checks) : [
      for status in service.checks[*].expected_status :
      can(regex("^[1-5][0-9]{2}(-[1-5][0-9]{2})?(,[1-5][0-9]{2}(-[1-5][0-9]{2})?)*$", status))
      && alltrue([for codes in split(",", status) : try(tonumber(split("-", codes)[0]) <= tonumber(reverse(split("-", codes))[0]), false)])
    ]]))
    error_message = "expected_status in derived_checks.auto.tfvars.json must be HTTP status codes (100-599) as a load balancer's matcher writes them: 200, a list 200,204, a range 200-299, or both 200-299,304; ranges from low to high, no spaces. Not: ${join(", ", flatten([for name, service in var.derived_checks : [
      for c in service.checks : "${name} ${c.name}: ${jsonencode(c.expected_status)}"
      if !(can(regex("^[1-5][0-9]{2}(-[1-5][0-9]{2})?(,[1-5][0-9]{2}(-[1-5][0-9]{2})?)*$", c.expected_status)) && alltrue([for codes in split(",", c.expected_status) : try(tonumber(split("-", codes)[0]) <= tonumber(reverse(split("-", codes))[0]), false)]))
    ]]))}."
  }
}

# A warning, not a validation: steps of a service not in service_names are only unused (and
# `canary derive` refuses such a service), while a refused value would hide, in
# `cw-scaffold check`, the error that made it try one.
check "derived_checks_services" {
  assert {
    condition     = alltrue([for name in keys(var.derived_checks) : contains(var.service_names, name)])
    error_message = "derived_checks (derived_checks.auto.tfvars.json) has steps for services not in service_names, which no canary runs: ${join(", ", [for name in keys(var.derived_checks) : name if !contains(var.service_names, name)])}."
  }
}
