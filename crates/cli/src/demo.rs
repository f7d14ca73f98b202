//! `humo-ident demo`: the emulator in-process and a whole identification against it, with
//! pictures taken by the synthetic camera. Needs no bank server, no camera and no files.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use humo_ident_camera::source::DeviceChoice;
use humo_ident_core::config::{Config, SELFIE_STEP_ID};
use humo_ident_core::flow::StepInput;
use humo_ident_core::input::PresignKey;
use humo_ident_core::liveness::sign_local;
use humo_ident_core::Error;
use humo_ident_emulator::{DEMO_KEY, LOCAL_LIVENESS_KEY};

use crate::args::DemoArgs;
use crate::camera;
use crate::emulate;
use crate::exit::Exit;
use crate::report::Reporter;
use crate::run::{identify, load_config, page_ids, tax_number, InputFailure, Inputs};
use humo_ident_camera::step::Subject;

pub async fn demo(args: DemoArgs) -> Exit {
    let mut reporter = Reporter::new(args.flow.json);
    let emulator = match emulate::start(0, &args.behaviour).await {
        Ok(emulator) => emulator,
        Err(error) => {
            reporter.error(&Error::Network(format!(
                "cannot start the emulator: {error}"
            )));
            return Exit::Unavailable;
        }
    };
    reporter.say(&format!(
        "Demo: the bank's API is emulated at {}",
        emulator.base_url()
    ));
    let exit = match demo_inputs(&args, &emulator.base_url()).await {
        Ok((config, inputs)) => identify(config, inputs, &mut reporter).await,
        Err(InputFailure::Invalid(error)) => {
            reporter.error(&error);
            error.kind().into()
        }
        Err(InputFailure::Camera(failure)) => {
            reporter.say(&failure.message);
            failure.exit
        }
    };
    emulator.shutdown().await;
    reporter.finish(exit);
    exit
}

/// The demo's inputs, taken with the synthetic camera exactly as a real one would take them:
/// previewed, checked, and captured by itself.
async fn demo_inputs(args: &DemoArgs, base_url: &str) -> Result<(Config, Inputs), InputFailure> {
    let config = load_config(None, Some(base_url), &args.flow)?;
    let document = args.document.into();
    let tax_number = tax_number(args.flow.tin.as_deref(), document, &config)?;
    let timeout = Duration::from_secs(30);

    let camera = DeviceChoice::Synthetic;
    let mut steps = HashMap::new();
    for (index, id) in page_ids(&config, document).into_iter().enumerate() {
        let photo = camera::take(
            &camera,
            &id,
            &Subject::DocumentPage(index),
            &config.images,
            timeout,
        )
        .await?;
        keep(
            args.keep_images.as_deref(),
            &format!("{id}.jpg"),
            photo.bytes(),
        )?;
        steps.insert(id, StepInput::Photo(photo));
    }
    let face = camera::take(
        &camera,
        SELFIE_STEP_ID,
        &Subject::Selfie(None),
        &config.images,
        timeout,
    )
    .await?;
    keep(args.keep_images.as_deref(), "selfie.jpg", face.bytes())?;
    let selfie = sign_local(face.bytes(), LOCAL_LIVENESS_KEY.as_bytes(), &config.images)?;
    keep(
        args.keep_images.as_deref(),
        "selfie.jwt",
        selfie.as_str().as_bytes(),
    )?;
    steps.insert(SELFIE_STEP_ID.to_owned(), StepInput::Selfie(selfie));

    let key = PresignKey::parse(DEMO_KEY)?;
    Ok((
        config,
        Inputs {
            key,
            document,
            tax_number,
            steps,
        },
    ))
}

/// Writes a generated file where the person asked for it.
fn keep(dir: Option<&Path>, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let Some(dir) = dir else { return Ok(()) };
    std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(dir.join(name), bytes))
        .map_err(|e| Error::Config(format!("cannot write {}: {e}", dir.join(name).display())))
}
