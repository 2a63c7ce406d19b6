"""frugal-spark pipeline: tokenize, then train with --resume latest, then eval and export.

Each task is one spark-submit of the frugal-spark cluster jar (main class
io.frugalspark.job.cli.FrugalCli); the arguments live in frugal_pipeline.json beside this file,
which the project's test suite runs through Spark's SparkSubmit. Every task is safe to retry:

* tokenize: over a complete output of the same data settings it exits 0 without work; an interrupted
  run resumes per input file; an output of different settings is refused (never overwritten).
* train: ``--resume latest`` continues from the newest committed checkpoint (checkpoints are written
  under a temporary name and committed last), starts fresh when there is none, and does nothing
  when the run already finished; metrics rows after the checkpoint are rewritten.
* eval: read-only. export: written under a temporary name and renamed over the previous folder.

Parameters (``airflow dags trigger frugal_pipeline --conf '{"config": "..."}'``):

* config: HOCON preset on the submitting host (conf/paper/*.conf: model, optimizer, batch, steps).
* corpus, tokens, checkpoints: Hadoop FileSystem URIs (hdfs://, s3a://, file://).
* metrics, export: folders local to the driver (deploy mode client, set on the Spark connection).
* executor_cores: each executor's cores, all given to its single training task.

The Spark connection (``spark_default``) gives the master (yarn, k8s://..., spark://...) and the
deploy mode; cluster-wide settings come from conf/cluster/cpu.properties (GPU clusters: point
``properties_file`` in the JSON at conf/cluster/gpu.properties). FRUGAL_HOME (environment of the
scheduler and workers) is where the repository, or its conf/ and the built jar, is installed.
"""
import json
import os
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow import DAG
from airflow.models.baseoperator import chain
from airflow.models.param import Param
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

SPEC = json.loads(Path(__file__).with_name("frugal_pipeline.json").read_text())
HOME = os.environ.get("FRUGAL_HOME", SPEC["frugal_home"])


def at_home(value):
    """Expands '{frugal_home}' (deployment paths); '{{ params.x }}' is left to Airflow's templating."""
    return value.replace("{frugal_home}", HOME)


with DAG(
    dag_id="frugal_pipeline",
    description="frugal-spark: tokenize -> train (--resume latest) -> eval -> export",
    doc_md=__doc__,
    schedule=None,
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    params={name: Param(at_home(p["default"]), type="string", description=p["description"])
            for name, p in SPEC["params"].items()},
    default_args={"retries": 3, "retry_delay": timedelta(minutes=2), "retry_exponential_backoff": True},
    tags=["frugal-spark", "spark"],
) as dag:
    chain(*[
        SparkSubmitOperator(
            task_id=task["task_id"],
            doc=task["doc"],
            conn_id=SPEC["conn_id"],
            application=at_home(SPEC["application"]),
            java_class=SPEC["java_class"],
            properties_file=at_home(SPEC["properties_file"]),
            conf=SPEC["conf"],
            name="frugal-" + task["task_id"],
            application_args=[task["verb"], *SPEC["common_args"], *task["args"]],
        )
        for task in SPEC["tasks"]
    ])
