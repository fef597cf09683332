//! glassbox-ig: Integrated Gradients over autodiff functions (issue 4; not built yet).
