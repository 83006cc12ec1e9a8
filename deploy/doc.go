// Package deploy holds no code. Its folders hold the deployment files of
// wordfilter:
//
//   - kubernetes/: a kustomization (Deployment, Service, PodDisruptionBudget
//     and the dictionary ConfigMap built from kubernetes/dict/) plus optional
//     ServiceMonitor, PrometheusRule and HorizontalPodAutoscaler;
//   - openim/: the OpenIM webhooks.yml snippet, the same settings as
//     IMENV_WEBHOOKS_* environment variables, and a docker compose file that
//     runs wordfilter beside OpenIM's own compose.
//
// The Dockerfile and .dockerignore are at the repository root. The tests of
// this package parse every one of these files and check that they agree with
// each other and with the code's defaults (port, probe paths, dictionary
// mount, image name, user). docs/operations.md explains how to use them.
package deploy
