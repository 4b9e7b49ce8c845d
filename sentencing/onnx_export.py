"""The reference model exported to ONNX with ``skl2onnx``: the one adapter to that library.

skl2onnx converts the pipeline's encoder (``ColumnTransformer``: one-hot categorical columns, numeric passthrough);
the regressors of :mod:`sentencing.model` are the toolkit's own classes, so a converter is registered for each. It
does not use skl2onnx's gradient-boosting converter, whose ``TreeEnsembleRegressor`` (ai.onnx.ml 3) answers in float32:
rounding log months to float32 moves a 168-month answer by 5e-5 months. It writes one ``TreeEnsemble`` node
(ai.onnx.ml 5) in double instead, built from the fitted trees as scikit-learn evaluates them:

- each input is cast to float32 first, as scikit-learn's trees cast theirs, then to double (exactly), and compared
  with the float64 threshold (``x <= threshold`` goes left), so every case takes the path it takes in scikit-learn;
- each leaf holds ``learning_rate * value`` in float64 and the ensemble adds them in double to the initial constant;
- then ``exp(x) - 1`` (trees on log months) and the range the card declares (``Clip``), or ``max(x, 0)`` (months).

The graph uses the standard domains only (``ai.onnx`` 17, ``ai.onnx.ml`` 5); each input is one column of the
feature frame, named after it (``[N, 1]``: text for categorical columns, float32 for numeric ones).
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

import numpy as np

from sentencing.features import categorical_columns, numeric_columns

__all__ = ["ONNX_OPSETS", "export_onnx", "skl2onnx_version"]

#: the opsets of every exported graph: the standard domain and the ML domain whose TreeEnsemble holds doubles
ONNX_OPSETS = {"": 17, "ai.onnx.ml": 5}


def skl2onnx_version() -> str:
    """The installed skl2onnx's version, read from its metadata: importing it takes seconds, and the build's digest
    asks for it on every start that checks whether the reference model is current."""
    return metadata.version("skl2onnx")


def _ensemble_attributes(regressor: Any) -> dict[str, Any]:
    """The ``TreeEnsemble`` attributes of a fitted ``GradientBoostingRegressor``'s trees (one target, summed)."""
    from onnx import numpy_helper

    roots: list[int] = []
    features: list[int] = []
    splits: list[float] = []
    true_ids: list[int] = []
    true_leaf: list[int] = []
    false_ids: list[int] = []
    false_leaf: list[int] = []
    weights: list[float] = []
    rate = float(regressor.learning_rate)
    for stage in regressor.estimators_:
        tree = stage[0].tree_
        left, right = tree.children_left, tree.children_right
        leaves = [n for n in range(tree.node_count) if left[n] == -1]
        branches = [n for n in range(tree.node_count) if left[n] != -1]
        if not branches:  # a tree of one leaf: a branch whose two sides are that leaf (ONNX roots are branches)
            roots.append(len(features))
            features.append(0)
            splits.append(0.0)
            true_ids.append(len(weights))
            false_ids.append(len(weights))
            true_leaf.append(1)
            false_leaf.append(1)
            weights.append(rate * float(tree.value[0].ravel()[0]))
            continue
        branch_id = {n: len(features) + i for i, n in enumerate(branches)}
        leaf_id = {n: len(weights) + i for i, n in enumerate(leaves)}
        roots.append(branch_id[0])
        for n in branches:
            features.append(int(tree.feature[n]))
            splits.append(float(tree.threshold[n]))
            for child, ids, is_leaf in ((left[n], true_ids, true_leaf), (right[n], false_ids, false_leaf)):
                leaf = bool(left[child] == -1)
                ids.append(leaf_id[child] if leaf else branch_id[child])
                is_leaf.append(int(leaf))
        weights.extend(rate * float(tree.value[n].ravel()[0]) for n in leaves)
    return {
        "aggregate_function": 1,  # SUM
        "post_transform": 0,  # NONE
        "n_targets": 1,
        "tree_roots": roots,
        "nodes_featureids": features,
        "nodes_splits": numpy_helper.from_array(np.asarray(splits, dtype=np.float64)),
        "nodes_modes": numpy_helper.from_array(np.zeros(len(features), dtype=np.uint8)),  # BRANCH_LEQ
        "nodes_truenodeids": true_ids,
        "nodes_trueleafs": true_leaf,
        "nodes_falsenodeids": false_ids,
        "nodes_falseleafs": false_leaf,
        "leaf_targetids": [0] * len(weights),
        "leaf_weights": numpy_helper.from_array(np.asarray(weights, dtype=np.float64)),
    }


def _register_converters() -> None:
    from onnx import TensorProto
    from skl2onnx import update_registered_converter
    from skl2onnx.common._apply_operation import apply_cast
    from skl2onnx.common.data_types import DoubleTensorType

    from sentencing.model import LogTermRegressor, TermRegressor

    def shape(operator: Any) -> None:
        operator.outputs[0].type = DoubleTensorType([operator.inputs[0].get_first_dimension(), 1])

    def constant(scope: Any, container: Any, name: str, value: float) -> str:
        unique = scope.get_unique_variable_name(name)
        container.add_initializer(unique, TensorProto.DOUBLE, [], [float(value)])
        return str(unique)

    def convert(scope: Any, operator: Any, container: Any) -> None:
        regressor = operator.raw_operator
        as_float = scope.get_unique_variable_name("as_float32")
        apply_cast(scope, operator.inputs[0].full_name, as_float, container, to=TensorProto.FLOAT)
        as_double = scope.get_unique_variable_name("as_double")
        apply_cast(scope, as_float, as_double, container, to=TensorProto.DOUBLE)
        trees = scope.get_unique_variable_name("trees")
        # skl2onnx knows the ML domain up to version 3: the node is declared at 3 and the model's import raised to 5
        container.add_node("TreeEnsemble", [as_double], [trees], op_domain="ai.onnx.ml", op_version=3,
                           name=scope.get_unique_operator_name("TreeEnsemble"),
                           **_ensemble_attributes(regressor))  # fmt: skip
        raw = scope.get_unique_variable_name("raw")
        initial = float(np.asarray(regressor.init_.constant_).ravel()[0])
        container.add_node("Add", [constant(scope, container, "initial", initial), trees], [raw])
        out = operator.outputs[0].full_name
        if isinstance(regressor, LogTermRegressor):
            grown = scope.get_unique_variable_name("exp")
            container.add_node("Exp", [raw], [grown])
            months = scope.get_unique_variable_name("months")
            container.add_node("Sub", [grown, constant(scope, container, "one", 1.0)], [months])
            low, high = regressor.output_range
            container.add_node("Clip", [months, constant(scope, container, "low", low),
                                        constant(scope, container, "high", high)], [out], op_version=13)  # fmt: skip
        else:
            container.add_node("Max", [raw, constant(scope, container, "zero", 0.0)], [out])

    for cls in (LogTermRegressor, TermRegressor):
        update_registered_converter(cls, f"Voirdire{cls.__name__}", shape, convert)


def export_onnx(pipeline: Any) -> bytes:
    """The fitted reference pipeline (encoder, then a :data:`sentencing.model.TARGETS` regressor) as ONNX bytes."""
    from onnx import helper
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    _register_converters()
    inputs = [(c, StringTensorType([None, 1])) for c in categorical_columns()]
    inputs += [(c, FloatTensorType([None, 1])) for c in numeric_columns()]
    graph = to_onnx(pipeline, initial_types=inputs, target_opset={"": ONNX_OPSETS[""], "ai.onnx.ml": 3})
    # skl2onnx lists the opsets in a set's order, which Python's string hashing changes from process to process: the
    # same model must give the same bytes (its digest is its identity), so they are listed in a fixed order
    used = {opset.domain: ONNX_OPSETS.get(opset.domain, opset.version) for opset in graph.opset_import}
    del graph.opset_import[:]
    graph.opset_import.extend(helper.make_opsetid(domain, used[domain]) for domain in sorted(used))
    graph.doc_string = "voirdire reference sentencing model, exported from its scikit-learn pipeline"
    return bytes(graph.SerializeToString())
