{{ header }}{% set gw = g.gateway %}// The Application Gateway{% if g.waf_policy %} and its WAF policy{% endif %}{% if g.diagnostics %}, with its diagnostic setting{% endif %}: one backend pool per deployment,
// holding exactly the accounts that serve it, reached at /openai/deployments/<deployment>/ and /d/<deployment>/openai/v1/.

@description('Name of the Application Gateway.')
param name string

@description('Region of the gateway.')
param location string

@description('Tags of every resource.')
param tags object

@description('ID of the gateway subnet.')
param subnetId string

@description('ID of the gateway\'s public IP.')
param publicIpId string

@description('One backend pool per deployment and one for paths that name no deployment: name, backendAddresses (`{ fqdn: \'<custom subdomain>.openai.azure.com\' }` of each account in it).')
param backendPools array

@description('Pool for paths that name no deployment.')
param defaultBackendPool string

@description('Backend settings of paths that name no deployment.')
param defaultBackendSettings string

@description('One backend setting per distinct request timeout and affinity: name, requestTimeout (seconds), cookieBasedAffinity (`Enabled`/`Disabled`), affinityCookieName (null without affinity).')
param backendSettings array

@description('Rules of the URL path map in evaluation order: name, paths, backendPool, backendSettings, rewriteRuleSet.')
param pathRules array
{% if g.identity %}
@description('User-assigned identity that reads the certificate from Key Vault.')
param identityId string
{% endif %}{% if inputs.certificate %}
@secure()
@description('The PFX certificate, base64-encoded.')
param certificateData string

@secure()
@description('Password of the PFX certificate.')
param certificatePassword string
{% endif %}{% if g.diagnostics %}
@description('Log Analytics workspace receiving the gateway\'s logs and metrics.')
param workspaceId string
{% endif %}
// Parts of the gateway refer to each other by ID; the gateway cannot reference its own symbol.
{% if g.waf_policy %}{% set w = g.waf_policy %}
resource wafPolicy 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies@{{ api.network }}' = {
  name: {{ w.name | bicep }}
  location: location
  tags: tags
  properties: {
    policySettings: {
      state: 'Enabled'
      mode: {{ w.mode | bicep }}
      requestBodyCheck: {{ w.request_body_check }}
      requestBodyEnforcement: {{ w.request_body_enforcement }}
      maxRequestBodySizeInKb: {{ w.max_request_body_kb }}
      requestBodyInspectLimitInKB: {{ w.request_body_inspect_limit_kb }}
      fileUploadLimitInMb: {{ w.file_upload_limit_mb }}
    }
    managedRules: {
      managedRuleSets: [
        {
          ruleSetType: {{ w.rule_set_type | bicep }}
          ruleSetVersion: {{ w.rule_set_version | bicep }}
        }
      ]
      // Prompt text (code, SQL, shell commands) is not an attack on the accounts: the values of the fields
      // that carry it skip the managed rules; headers, cookies, the URI and other fields do not.
      exclusions: [{% for e in w.exclusions %}
        {
          matchVariable: {{ e.match_variable | bicep }}
          selectorMatchOperator: {{ e.operator | bicep }}
          selector: {{ e.selector | bicep }}
        }{% endfor %}{% if w.exclusions %}
      {% endif %}]
    }
  }
}
{% endif %}
resource gateway 'Microsoft.Network/applicationGateways@{{ api.network }}' = {
  name: name
  location: location
  tags: tags
  zones: [{% for z in gw.zones %}{{ z | bicep }}{% if not loop.last %}, {% endif %}{% endfor %}]{% if g.identity %}
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }{% endif %}
  properties: {
    sku: {
      name: {{ gw.sku | bicep }}
      tier: {{ gw.sku | bicep }}{% if gw.capacity %}
      capacity: {{ gw.capacity }}{% endif %}
    }{% if gw.autoscale %}
    autoscaleConfiguration: {
      minCapacity: {{ gw.autoscale.min }}
      maxCapacity: {{ gw.autoscale.max }}
    }{% endif %}{% if g.waf_policy %}
    firewallPolicy: {
      id: wafPolicy.id
    }
    forceFirewallPolicyAssociation: true{% endif %}
    enableHttp2: true
    // Server-sent events (stream: true) must reach clients as they come: response buffering off.
    globalConfiguration: {
      enableRequestBuffering: {{ gw.buffering.request }}
      enableResponseBuffering: {{ gw.buffering.response }}
    }
    gatewayIPConfigurations: [
      {
        name: {{ gw.ip_configuration_name | bicep }}
        properties: {
          subnet: {
            id: subnetId
          }
        }
      }
    ]
    frontendIPConfigurations: [
      {
        name: {{ gw.frontend_ip_name | bicep }}
        properties: {
          publicIPAddress: {
            id: publicIpId
          }
        }
      }
    ]
    frontendPorts: [{% for p in gw.ports %}
      {
        name: {{ p.name | bicep }}
        properties: {
          port: {{ p.port }}
        }
      }{% endfor %}
    ]
    sslPolicy: {
      policyType: 'Predefined'
      policyName: {{ gw.ssl_policy | bicep }}
    }{% if gw.certificate %}
    sslCertificates: [
      {
        name: {{ gw.certificate.name | bicep }}
        properties: {% raw %}{{% endraw %}{% if gw.certificate.key_vault_secret %}
          // Key Vault's DNS suffix is the cloud's (environment()), never a literal host name.
          keyVaultSecretId: format('https://{0}{1}/secrets/{2}', {{ gw.certificate.key_vault_secret.vault_name | bicep }}, environment().suffixes.keyvaultDns, {{ gw.certificate.key_vault_secret.secret_path | bicep }}){% else %}
          data: certificateData
          password: certificatePassword{% endif %}
        }
      }
    ]{% endif %}
    httpListeners: [{% for l in gw.listeners %}
      {
        name: {{ l.name | bicep }}
        properties: {
          frontendIPConfiguration: {
            id: resourceId('Microsoft.Network/applicationGateways/frontendIPConfigurations', name, {{ gw.frontend_ip_name | bicep }})
          }
          frontendPort: {
            id: resourceId('Microsoft.Network/applicationGateways/frontendPorts', name, {{ l.port_name | bicep }})
          }
          protocol: {{ l.protocol | bicep }}{% if l.host_name %}
          hostName: {{ l.host_name | bicep }}
          requireServerNameIndication: true{% endif %}{% if l.certificate_name %}
          sslCertificate: {
            id: resourceId('Microsoft.Network/applicationGateways/sslCertificates', name, {{ l.certificate_name | bicep }})
          }{% endif %}
        }
      }{% endfor %}
    ]
    backendAddressPools: [for pool in backendPools: {
      name: pool.name
      properties: {
        backendAddresses: pool.backendAddresses
      }
    }]
    // The accounts answer only to their own host name; each model waits as long as its family needs.
    backendHttpSettingsCollection: [for setting in backendSettings: {
      name: setting.name
      properties: {
        port: 443
        protocol: 'Https'
        pickHostNameFromBackendAddress: true
        requestTimeout: setting.requestTimeout
        cookieBasedAffinity: setting.cookieBasedAffinity
        affinityCookieName: setting.affinityCookieName
        probe: {
          id: resourceId('Microsoft.Network/applicationGateways/probes', name, {{ gw.probe.name | bicep }})
        }
      }
    }]
    probes: [
      {
        name: {{ gw.probe.name | bicep }}
        properties: {
          protocol: {{ gw.probe.protocol | bicep }}
          path: {{ gw.probe.path | bicep }}
          interval: {{ gw.probe.interval }}
          timeout: {{ gw.probe.timeout }}
          unhealthyThreshold: {{ gw.probe.unhealthy_threshold }}
          pickHostNameFromBackendHttpSettings: true
          match: {
            statusCodes: [{% for c in gw.probe.match_status_codes %}{{ c | bicep }}{% if not loop.last %}, {% endif %}{% endfor %}]
          }
        }
      }
    ]
    rewriteRuleSets: [{% for set in gw.rewrite_rule_sets %}
      {
        name: {{ set.name | bicep }}
        properties: {
          rewriteRules: [{% for rule in set.rules %}
            {
              name: {{ rule.name | bicep }}
              ruleSequence: {{ rule.sequence }}
              conditions: [{% for c in rule.conditions %}
                {
                  variable: {{ c.variable | bicep }}
                  pattern: {{ c.pattern | bicep }}
                  ignoreCase: {{ c.ignore_case }}
                  negate: {{ c.negate }}
                }{% endfor %}
              ]
              actionSet: {
                requestHeaderConfigurations: []
                responseHeaderConfigurations: [{% for h in rule.response_headers %}
                  {
                    headerName: {{ h.name | bicep }}
                    headerValue: {{ h.value | bicep }}
                  }{% endfor %}{% if rule.response_headers %}
                {% endif %}]{% if rule.url_path %}
                // The path rule chose the pool from the original path; only the account's copy loses
                // /d/<deployment>, and the query string stays as it came.
                urlConfiguration: {
                  modifiedPath: {{ rule.url_path | bicep }}
                  reroute: false
                }{% endif %}
              }
            }{% endfor %}
          ]
        }
      }{% endfor %}
    ]
    urlPathMaps: [
      {
        name: {{ gw.url_path_map_name | bicep }}
        properties: {
          defaultBackendAddressPool: {
            id: resourceId('Microsoft.Network/applicationGateways/backendAddressPools', name, defaultBackendPool)
          }
          defaultBackendHttpSettings: {
            id: resourceId('Microsoft.Network/applicationGateways/backendHttpSettingsCollection', name, defaultBackendSettings)
          }
          pathRules: [for rule in pathRules: {
            name: rule.name
            properties: {
              paths: rule.paths
              backendAddressPool: {
                id: resourceId('Microsoft.Network/applicationGateways/backendAddressPools', name, rule.backendPool)
              }
              backendHttpSettings: {
                id: resourceId('Microsoft.Network/applicationGateways/backendHttpSettingsCollection', name, rule.backendSettings)
              }
              rewriteRuleSet: {
                id: resourceId('Microsoft.Network/applicationGateways/rewriteRuleSets', name, rule.rewriteRuleSet)
              }
            }
          }]
        }
      }
    ]{% if gw.redirect %}
    redirectConfigurations: [
      {
        name: {{ gw.redirect.name | bicep }}
        properties: {
          redirectType: 'Permanent'
          targetListener: {
            id: resourceId('Microsoft.Network/applicationGateways/httpListeners', name, {{ gw.redirect.target_listener_name | bicep }})
          }
          includePath: true
          includeQueryString: true
        }
      }
    ]{% endif %}
    requestRoutingRules: [{% for r in gw.routing_rules %}
      {
        name: {{ r.name | bicep }}
        properties: {
          priority: {{ r.priority }}
          ruleType: {{ r.rule_type | bicep }}
          httpListener: {
            id: resourceId('Microsoft.Network/applicationGateways/httpListeners', name, {{ r.listener_name | bicep }})
          }{% if r.redirect_name %}
          redirectConfiguration: {
            id: resourceId('Microsoft.Network/applicationGateways/redirectConfigurations', name, {{ r.redirect_name | bicep }})
          }{% else %}
          urlPathMap: {
            id: resourceId('Microsoft.Network/applicationGateways/urlPathMaps', name, {{ gw.url_path_map_name | bicep }})
          }{% endif %}
        }
      }{% endfor %}
    ]
  }
}
{% if g.diagnostics %}
resource diagnostics 'Microsoft.Insights/diagnosticSettings@{{ api.diagnostic_settings }}' = {
  name: {{ g.diagnostics.gateway_setting_name | bicep }}
  scope: gateway
  properties: {
    workspaceId: workspaceId
    logs: [{% for c in g.diagnostics.gateway_log_categories %}
      {
        category: {{ c | bicep }}
        enabled: true
      }{% endfor %}
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}
{% endif %}
@description('Name of the gateway.')
output name string = gateway.name
